// OPOM's identity-subspace losses (docs/papers/ga.md "OPOM losses"; [opom-code] loss_type 0/7/8/9).
// Every loss is an MSE between the cloaked feature y_i = n(f(x_i + δ)) and a target t_i that is held
// constant (detached), L = (1/D)‖y_i − t_i‖², maximised:
//   fi-uap        t_i = n(f(x_i)), the clean feature of the same image;
//   class-centre  t_i = c = (1/N) Σ_j n(f(x_j));
//   affine-hull   t_i = A β_i, β_i = argmin ‖Aβ − y_i‖² s.t. Σβ = 1 (closed form below);
//   convex-hull   t_i = A β_i with additionally 0 ≤ β ≤ 1 (a 10-d QP, projected gradient here).
// For the hulls the detached β equals the optimum, so by Danskin's theorem the gradient of the MSE with
// β detached is the gradient of the squared distance to the hull itself.

export const LOSS_KINDS = ['fi-uap', 'class-centre', 'affine-hull', 'convex-hull'] as const;
export type LossKind = (typeof LOSS_KINDS)[number];

/** Rows of a row-major [n, dim] matrix as float64. */
export interface Rows {
  data: Float64Array;
  n: number;
  dim: number;
}

export function l2Normalize(data: ArrayLike<number>, n: number, dim: number): Rows {
  const out = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += data[i * dim + d]! ** 2;
    const inv = 1 / Math.sqrt(s || 1);
    for (let d = 0; d < dim; d++) out[i * dim + d] = data[i * dim + d]! * inv;
  }
  return { data: out, n, dim };
}

function gram(A: Rows): Float64Array {
  const { n, dim, data } = A;
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += data[i * dim + d]! * data[j * dim + d]!;
      G[i * n + j] = s;
      G[j * n + i] = s;
    }
  return G;
}

function dotRows(A: Rows, y: ArrayLike<number>): Float64Array {
  const out = new Float64Array(A.n);
  for (let i = 0; i < A.n; i++) {
    let s = 0;
    for (let d = 0; d < A.dim; d++) s += A.data[i * A.dim + d]! * y[d]!;
    out[i] = s;
  }
  return out;
}

/** Solves M z = b (M symmetric positive semi-definite, n small) by Gaussian elimination with partial pivoting. */
function solve(M: Float64Array, b: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(M);
  const z = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]!) > Math.abs(a[p * n + c]!)) p = r;
    if (p !== c) {
      for (let k = 0; k < n; k++) [a[c * n + k], a[p * n + k]] = [a[p * n + k]!, a[c * n + k]!];
      [z[c], z[p]] = [z[p]!, z[c]!];
    }
    const piv = a[c * n + c]!;
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c]! / piv;
      if (f === 0) continue;
      for (let k = c; k < n; k++) a[r * n + k]! -= f * a[c * n + k]!;
      z[r]! -= f * z[c]!;
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = z[r]!;
    for (let k = r + 1; k < n; k++) s -= a[r * n + k]! * z[k]!;
    z[r] = s / a[r * n + r]!;
  }
  return z;
}

/**
 * β = argmin ‖Aβ − y‖² s.t. 1ᵀβ = 1, from the KKT system [G 1; 1ᵀ 0][β; λ] = [Aᵀy; 1] with G = AAᵀ
 * (rows of A are the clean features). A ridge of 1e-10·trace(G)/n keeps G invertible when the clean
 * features are affinely dependent (it moves β by O(1e-10)).
 */
export function affineHullCoefficients(A: Rows, y: ArrayLike<number>): Float64Array {
  const n = A.n;
  const G = gram(A);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += G[i * n + i]!;
  const m = n + 1;
  const K = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) K[i * m + j] = G[i * n + j]! + (i === j ? (1e-10 * trace) / n : 0);
    K[i * m + n] = 1;
    K[n * m + i] = 1;
  }
  const rhs = new Float64Array(m);
  rhs.set(dotRows(A, y));
  rhs[n] = 1;
  return solve(K, rhs, m).subarray(0, n).slice();
}

/** Euclidean projection onto {β : Σβ = 1, 0 ≤ β ≤ 1} (the probability simplex; Duchi et al. 2008). */
export function projectSimplex(v: ArrayLike<number>): Float64Array {
  const n = v.length;
  const u = Array.from(v).sort((a, b) => b - a);
  let css = 0;
  let theta = 0;
  for (let k = 0; k < n; k++) {
    css += u[k]!;
    const t = (css - 1) / (k + 1);
    if (u[k]! - t > 0) theta = t;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.max(0, v[i]! - theta);
  return out;
}

/** β = argmin ‖Aβ − y‖² on the simplex: accelerated projected gradient (FISTA), `iterations` steps of 1/L. */
export function convexHullCoefficients(A: Rows, y: ArrayLike<number>, iterations = 300): Float64Array {
  const n = A.n;
  const G = gram(A);
  const b = dotRows(A, y);
  let L = 0; // Lipschitz constant of ∇ = 2(Gβ − b): 2·λmax(G) ≤ 2·max row sum
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.abs(G[i * n + j]!);
    L = Math.max(L, 2 * s);
  }
  let beta: Float64Array = new Float64Array(n).fill(1 / n);
  let z: Float64Array = Float64Array.from(beta);
  let t = 1;
  for (let it = 0; it < iterations; it++) {
    const grad = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = -b[i]!;
      for (let j = 0; j < n; j++) s += G[i * n + j]! * z[j]!;
      grad[i] = 2 * s;
    }
    const next = projectSimplex(Array.from(z, (zi, i) => zi - grad[i]! / L));
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    z = Float64Array.from(next, (v, i) => v + ((t - 1) / tNext) * (v - beta[i]!));
    beta = next;
    t = tNext;
  }
  return beta;
}

/** Aᵀβ: the point of the hull with coefficients β. */
export function combine(A: Rows, beta: ArrayLike<number>): Float64Array {
  const out = new Float64Array(A.dim);
  for (let i = 0; i < A.n; i++) for (let d = 0; d < A.dim; d++) out[d]! += beta[i]! * A.data[i * A.dim + d]!;
  return out;
}

/** Squared Euclidean distance from y to the affine hull of the rows of A. */
export function affineHullDistance2(A: Rows, y: ArrayLike<number>): number {
  const p = combine(A, affineHullCoefficients(A, y));
  let s = 0;
  for (let d = 0; d < A.dim; d++) s += (y[d]! - p[d]!) ** 2;
  return s;
}

/**
 * The detached targets t_i of a batch: `cloaked` holds the batch's normalised cloaked features,
 * `cleanOfBatch` the clean feature of each batch image (FI-UAP), `clean` the identity's N clean
 * features (centre and hulls; which set a mini-batch uses is docs/papers/ga.md ambiguity 1).
 */
export function lossTargets(kind: LossKind, cloaked: Rows, cleanOfBatch: Rows, clean: Rows): Float64Array {
  const { n, dim } = cloaked;
  const out = new Float64Array(n * dim);
  if (kind === 'fi-uap') {
    out.set(cleanOfBatch.data.subarray(0, n * dim));
    return out;
  }
  if (kind === 'class-centre') {
    const c = combine(clean, new Float64Array(clean.n).fill(1 / clean.n));
    for (let i = 0; i < n; i++) out.set(c, i * dim);
    return out;
  }
  for (let i = 0; i < n; i++) {
    const y = cloaked.data.subarray(i * dim, (i + 1) * dim);
    const beta = kind === 'affine-hull' ? affineHullCoefficients(clean, y) : convexHullCoefficients(clean, y);
    out.set(combine(clean, beta), i * dim);
  }
  return out;
}
