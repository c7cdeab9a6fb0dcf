// Class-universal cloak optimisers at an equal image-gradient budget (docs/papers/ga.md):
//   large-batch OPOM  δ ← Π_ε(δ + α·sign(g(δ; all N)))                       T steps, T·N image-gradients
//   small-batch OPOM  per epoch, a shuffled partition into N/b mini-batches; after EACH mini-batch
//                     δ ← Π_ε(δ + α·sign(g(δ; B)))                              T epochs, T·N image-gradients
//   GA                per outer step, K·N/b inner pre-search steps on random mini-batches B_j (without
//                     replacement inside a batch, independent across steps, as uap_sga [sga-code]):
//                     g_j = g(δ_in; B_j), δ_in ← Π_ε(δ_in + α·sign(g_j)) (flag innerUpdate);
//                     ONE quantised outer step δ ← Π_ε(δ + α·sign(mean_j g_j))   T outer steps, T·K·N
// Π_ε clips to [−ε, ε]; images are clipped to [0, 1] wherever δ is applied (in the gradient oracle).
// Momentum (flag, OPOM M-DFANet / MI-FGSM): v ← μ·v + g/mean|g|, the step uses sign(v).
// [recon] one δ from the start (δ₀ ~ U(−ε, ε), OPOM's random start as a single mask); OPOM's code
// steps every image and collapses δ = clip(mean_i(x_adv_i − x_i)), which equals this update except at
// pixels where x + δ saturates.
import { createRng, type Rng } from '../../core/rng.js';

/** Mean over the batch `indices` (ascending) of ∇_{x_adv_i} L_i at x_adv_i = clip(x_i + δ, 0, 1). */
export type GradientOracle = (delta: Float32Array, indices: number[]) => Float32Array | Promise<Float32Array>;

export const OPTIMIZERS = ['large-batch', 'small-batch', 'ga'] as const;
export type OptimizerKind = (typeof OPTIMIZERS)[number];

export interface CloakConfig {
  optimizer: OptimizerKind;
  /** L∞ budget, in the images' units ([0, 1]: 8/255 is OPOM's ε = 8). */
  epsilon: number;
  /** Step α, same units (OPOM: 1/255). */
  step: number;
  /** T: steps (large-batch), epochs (small-batch) or outer steps (GA). */
  outerSteps: number;
  /** b: mini-batch size (small-batch, GA). */
  batch: number;
  /** K: GA runs K·N/b inner steps per outer step. */
  innerFactor: number;
  /** GA: inner steps move δ_in (SGA, default) or every inner gradient is taken at δ. */
  innerUpdate: boolean;
  /** μ of the momentum accumulator; 0 = off. */
  momentum: number;
  init: 'zero' | 'uniform';
}

export interface CloakCounts {
  /** Σ over oracle calls of the batch size: per-image forward+backward passes of the surrogate. */
  imageGradients: number;
  oracleCalls: number;
  /** Sign quantisations applied to the cloak δ itself. */
  outerSigns: number;
  /** Sign quantisations of GA's inner pre-search (δ_in). */
  innerSigns: number;
  /** Updates of δ. */
  updates: number;
}

export interface CloakResult {
  delta: Float32Array;
  counts: CloakCounts;
}

/** Π_ε: clips every entry of δ to [−ε, ε] in place. */
export function projectLinf(delta: Float32Array, epsilon: number): Float32Array {
  for (let i = 0; i < delta.length; i++) delta[i] = Math.min(epsilon, Math.max(-epsilon, delta[i]!));
  return delta;
}

/** clip(x + δ, 0, 1) for `count` images of delta.length values each (δ broadcast). */
export function applyCloak(images: Float32Array, count: number, delta: Float32Array): Float32Array {
  const px = delta.length;
  const out = new Float32Array(count * px);
  for (let i = 0; i < count; i++) for (let q = 0; q < px; q++) out[i * px + q] = Math.min(1, Math.max(0, images[i * px + q]! + delta[q]!));
  return out;
}

/** Budget of one cloak in image-gradients, before running it. */
export function imageGradientBudget(config: CloakConfig, n: number): number {
  if (config.optimizer === 'ga') return config.outerSteps * innerSteps(config, n) * Math.min(config.batch, n);
  return config.outerSteps * n;
}

export function innerSteps(config: CloakConfig, n: number): number {
  return Math.max(1, Math.round((config.innerFactor * n) / Math.min(config.batch, n)));
}

function checkConfig(c: CloakConfig, n: number): void {
  const bad = (what: string) => new RangeError(`cloak config: ${what}`);
  if (!(c.epsilon > 0) || !(c.step > 0)) throw bad(`epsilon ${c.epsilon} and step ${c.step} must be > 0`);
  if (!Number.isInteger(c.outerSteps) || c.outerSteps < 1) throw bad(`outerSteps ${c.outerSteps} must be a positive integer`);
  if (!Number.isInteger(c.batch) || c.batch < 1) throw bad(`batch ${c.batch} must be a positive integer`);
  if (!(c.innerFactor > 0)) throw bad(`innerFactor ${c.innerFactor} must be > 0`);
  if (!(c.momentum >= 0)) throw bad(`momentum ${c.momentum} must be ≥ 0`);
  if (!Number.isInteger(n) || n < 1) throw bad(`${n} training images`);
}

/** δ₀: zeros or U(−ε, ε) from `rng`. */
export function initialDelta(length: number, config: Pick<CloakConfig, 'epsilon' | 'init'>, rng: Rng): Float32Array {
  const d = new Float32Array(length);
  if (config.init === 'uniform') for (let i = 0; i < length; i++) d[i] = (2 * rng.next() - 1) * config.epsilon;
  return d;
}

/** A random subset of size b of 0..n−1 (without replacement), ascending. */
function subset(n: number, b: number, rng: Rng): number[] {
  return rng
    .shuffle(Array.from({ length: n }, (_, i) => i))
    .slice(0, b)
    .sort((x, y) => x - y);
}

/** The momentum accumulator: v ← μ·v + g/mean|g| (μ = 0: v = g unchanged). */
function accumulate(v: Float32Array | null, g: Float32Array, mu: number): Float32Array {
  if (mu === 0) return g;
  let l1 = 0;
  for (let i = 0; i < g.length; i++) l1 += Math.abs(g[i]!);
  const scale = l1 > 0 ? g.length / l1 : 0;
  const out = new Float32Array(g.length);
  for (let i = 0; i < g.length; i++) out[i] = (v ? mu * v[i]! : 0) + g[i]! * scale;
  return out;
}

/** δ ← Π_ε(δ + α·sign(g)) in place (sign(0) = 0). */
function signStep(delta: Float32Array, g: Float32Array, step: number, epsilon: number): void {
  for (let i = 0; i < delta.length; i++) delta[i] = Math.min(epsilon, Math.max(-epsilon, delta[i]! + step * Math.sign(g[i]!)));
}

/**
 * Optimises one class-universal cloak for an identity with `n` training images. `seed` drives δ₀
 * (derived 'init') and the mini-batch draws (derived 'batches'), so optimisers share δ₀.
 */
export async function optimiseCloak(oracle: GradientOracle, n: number, length: number, config: CloakConfig, seed: number): Promise<CloakResult> {
  checkConfig(config, n);
  const counts: CloakCounts = { imageGradients: 0, oracleCalls: 0, outerSigns: 0, innerSigns: 0, updates: 0 };
  const initRng = createRng(seed ^ 0x1a2b3c4d);
  const batchRng = createRng(seed ^ 0x5e6f7a8b);
  const delta = initialDelta(length, config, initRng);
  const call = async (d: Float32Array, idx: number[]): Promise<Float32Array> => {
    counts.imageGradients += idx.length;
    counts.oracleCalls++;
    return oracle(d, idx);
  };
  const b = Math.min(config.batch, n);
  const all = Array.from({ length: n }, (_, i) => i);
  let v: Float32Array | null = null;
  const outer = (g: Float32Array) => {
    v = accumulate(v, g, config.momentum);
    signStep(delta, v, config.step, config.epsilon);
    counts.outerSigns++;
    counts.updates++;
  };
  for (let t = 0; t < config.outerSteps; t++) {
    if (config.optimizer === 'large-batch') {
      outer(await call(delta, all));
    } else if (config.optimizer === 'small-batch') {
      const order = batchRng.shuffle([...all]);
      for (let s = 0; s < n; s += b)
        outer(
          await call(
            delta,
            order.slice(s, s + b).sort((x, y) => x - y),
          ),
        );
    } else {
      const inner = Float32Array.from(delta);
      const sum = new Float32Array(length);
      const steps = innerSteps(config, n);
      for (let j = 0; j < steps; j++) {
        const g = await call(config.innerUpdate ? inner : delta, subset(n, b, batchRng));
        for (let q = 0; q < length; q++) sum[q]! += g[q]!;
        if (config.innerUpdate) {
          signStep(inner, g, config.step, config.epsilon);
          counts.innerSigns++;
        }
      }
      for (let q = 0; q < length; q++) sum[q]! /= steps;
      outer(sum);
    }
  }
  return { delta, counts };
}
