// Evaluation of cloaks (docs/papers/ga.md "Protection rate"; [opom-code] evaluation): the OPOM protection rate,
// cosine to the clean identity, and PSNR / SSIM of the cloaked images.

/** Hits of the OPOM identification protocol for one identity, counted for each k. */
export interface ProtectionCounts {
  queries: number;
  /** hits[k] for each requested k: pairs where the clean mate ranks within the top k. */
  hits: Map<number, number>;
}

function cosine(a: ArrayLike<number>, aAt: number, b: ArrayLike<number>, bAt: number, dim: number): number {
  let dot = 0,
    na = 0,
    nb = 0;
  for (let d = 0; d < dim; d++) {
    const x = a[aAt + d]!,
      y = b[bAt + d]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb || 1);
}

/**
 * OPOM protocol: every cloaked test image i queries a gallery of ONE clean test image j ≠ i of the same
 * person plus all distractors; the pair is a hit at k when the mate ranks within the top k by cosine,
 * rank = 1 + #{distractors with cosine ≥ cosine(q_i, x_j)} (ties against the person). Rows are
 * [count, dim] embeddings; queries[i] and mates[i] are the cloaked and clean versions of test image i.
 */
export function protectionCounts(
  queries: ArrayLike<number>,
  mates: ArrayLike<number>,
  m: number,
  distractors: ArrayLike<number>,
  nd: number,
  dim: number,
  ks: readonly number[],
): ProtectionCounts {
  const hits = new Map(ks.map((k) => [k, 0]));
  let count = 0;
  for (let i = 0; i < m; i++) {
    const dsims = new Float64Array(nd);
    for (let d = 0; d < nd; d++) dsims[d] = cosine(queries, i * dim, distractors, d * dim, dim);
    for (let j = 0; j < m; j++) {
      if (j === i) continue;
      const s = cosine(queries, i * dim, mates, j * dim, dim);
      let rank = 1;
      for (let d = 0; d < nd; d++) if (dsims[d]! >= s) rank++;
      count++;
      for (const k of ks) if (rank <= k) hits.set(k, hits.get(k)! + 1);
    }
  }
  return { queries: count, hits };
}

/** Protection rate = 1 − hits/queries, pooled over identities. */
export function protectionRate(counts: ProtectionCounts[], k: number): number {
  const q = counts.reduce((s, c) => s + c.queries, 0);
  const h = counts.reduce((s, c) => s + (c.hits.get(k) ?? 0), 0);
  return q === 0 ? Number.NaN : 1 - h / q;
}

/** Mean over cloaked test images of cos(q_i, c), c = the mean of the person's normalised clean test features. */
export function meanCosineToIdentity(queries: ArrayLike<number>, mates: ArrayLike<number>, m: number, dim: number): number {
  const c = new Float64Array(dim);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += mates[j * dim + d]! ** 2;
    const inv = 1 / Math.sqrt(s || 1);
    for (let d = 0; d < dim; d++) c[d]! += (mates[j * dim + d]! * inv) / m;
  }
  let total = 0;
  for (let i = 0; i < m; i++) total += cosine(queries, i * dim, c, 0, dim);
  return total / m;
}

/** PSNR (dB) of b against a, both in [0, 1]: 10·log10(1 / MSE). */
export function psnr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  const mse = s / a.length;
  return mse === 0 ? Infinity : 10 * Math.log10(1 / mse);
}

const SSIM_RADIUS = 5;
const SSIM_SIGMA = 1.5;
const SSIM_WINDOW = (() => {
  const w: number[] = [];
  let sum = 0;
  for (let k = -SSIM_RADIUS; k <= SSIM_RADIUS; k++) {
    const v = Math.exp(-(k * k) / (2 * SSIM_SIGMA * SSIM_SIGMA));
    w.push(v);
    sum += v;
  }
  return w.map((v) => v / sum);
})();

/**
 * SSIM of two HWC images in [0, 1] (Wang et al. 2004): 11×11 Gaussian window σ = 1.5, C1 = 0.01²,
 * C2 = 0.03², mean of the SSIM map over the valid region, then over channels.
 */
export function ssim(a: ArrayLike<number>, b: ArrayLike<number>, height: number, width: number, channels = 3): number {
  const r = SSIM_RADIUS;
  const C1 = 0.01 ** 2,
    C2 = 0.03 ** 2;
  let total = 0;
  let count = 0;
  for (let c = 0; c < channels; c++) {
    for (let y = r; y < height - r; y++) {
      for (let x = r; x < width - r; x++) {
        let ma = 0,
          mb = 0,
          saa = 0,
          sbb = 0,
          sab = 0;
        for (let dy = -r; dy <= r; dy++) {
          const wy = SSIM_WINDOW[dy + r]!;
          for (let dx = -r; dx <= r; dx++) {
            const w = wy * SSIM_WINDOW[dx + r]!;
            const at = ((y + dy) * width + (x + dx)) * channels + c;
            const va = a[at]!,
              vb = b[at]!;
            ma += w * va;
            mb += w * vb;
            saa += w * va * va;
            sbb += w * vb * vb;
            sab += w * va * vb;
          }
        }
        const va = saa - ma * ma,
          vb = sbb - mb * mb,
          cov = sab - ma * mb;
        total += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
        count++;
      }
    }
  }
  return total / count;
}
