// BAMSProd, docs/papers/bamsprod.md "BAMSProd update" [recon].
// AMSGrad's moments, then the second moment is projected element-wise into [c_l(t), c_u(t)]:
//   Ṽ_t = clip(v̂_t, c_l, c_u),  c_l = c*(1 − 1/(γ_b t + 1)) ↑ from 0,  c_u = c*(1 + 1/(γ_b t)) ↓ from ∞,
//   w ← w − (α0/√t)·m_t/(√Ṽ_t + ε).
// The paper's c_l, c_u and the quantisation-error term are UNKNOWN: `target` names the choice.
import { SlotState, type ElementwiseOptimizer } from './optimizer.js';

/**
 * The common limit c* of the bounds [recon]:
 * - `{ constant }`: a fixed level (the card's simulation used 0.1, 1 and 10);
 * - `'quantisation-error'`: the card's suggestion c*_t = (mean|w| − α)² + mean((|w| − α)²) of the
 *   slot's latent weights, with α = 1 (plain sign binarisation, as the networks here use).
 */
export type BamsprodTarget = { constant: number } | 'quantisation-error';

export interface BamsprodOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Speed γ_b at which the bounds close in on c*. */
  boundSpeed?: number;
  target?: BamsprodTarget;
  /** 'none' disables the projection (c_l ≡ 0, c_u ≡ ∞): BAMSProd then equals AMSGrad with α/√t. */
  bounds?: 'projected' | 'none';
}

/** The bounds [c_l(t), c_u(t)] around the level c* (docs/papers/bamsprod.md "Claims checkable at small scale" 3: monotone, both → c*). */
export function bamsprodBounds(cStar: number, t: number, boundSpeed: number): [number, number] {
  return [cStar * (1 - 1 / (boundSpeed * t + 1)), cStar * (1 + 1 / (boundSpeed * t))];
}

/** (mean|w| − α)² + mean((|w| − α)²): the card's suggested quantisation-error level [recon]. */
export function quantisationErrorLevel(w: Float32Array, alpha = 1): number {
  let meanAbs = 0;
  let meanSq = 0;
  for (let i = 0; i < w.length; i++) {
    const d = Math.abs(w[i]!) - alpha;
    meanAbs += Math.abs(w[i]!);
    meanSq += d * d;
  }
  meanAbs /= w.length;
  meanSq /= w.length;
  return (meanAbs - alpha) ** 2 + meanSq;
}

export function bamsprod({
  lr = 1e-3,
  beta1 = 0.9,
  beta2 = 0.999,
  eps = 1e-8,
  boundSpeed = 1e-3,
  target = { constant: 1 },
  bounds = 'projected',
}: BamsprodOptions = {}): ElementwiseOptimizer {
  const state = new SlotState();
  return {
    name: 'bamsprod',
    step(slot, w, g) {
      const t = state.nextStep(slot);
      const m = state.buffer(slot, 'm', w.length);
      const v = state.buffer(slot, 'v', w.length);
      const vHat = state.buffer(slot, 'vHat', w.length);
      const cStar = target === 'quantisation-error' ? quantisationErrorLevel(w) : target.constant;
      const [lo, hi] = bounds === 'none' ? [0, Infinity] : bamsprodBounds(cStar, t, boundSpeed);
      const a = lr / Math.sqrt(t);
      for (let i = 0; i < w.length; i++) {
        const gi = g[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * gi;
        v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
        vHat[i] = Math.max(vHat[i]!, v[i]!);
        const vTilde = Math.min(hi, Math.max(lo, vHat[i]!));
        w[i]! -= (a * m[i]!) / (Math.sqrt(vTilde) + eps);
      }
    },
  };
}
