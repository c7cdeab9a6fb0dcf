// Bop (Helwegen et al. 2019, larq `Bop`), docs/papers/bamsprod.md "Baselines": no latent weights. The binary weights
// w ∈ {−1, +1} flip when the gradient EMA agrees in sign with them and exceeds the threshold:
//   m ← m + γ(g − m);   w ← −w if w·m > τ.
import { SlotState, type ElementwiseOptimizer } from './optimizer.js';

export interface BopOptions {
  /** Flip threshold τ (larq default 1e-8). */
  threshold?: number;
  /** Adaptivity rate γ (larq default 1e-4). */
  gamma?: number;
}

export function bop({ threshold = 1e-8, gamma = 1e-4 }: BopOptions = {}): ElementwiseOptimizer {
  const state = new SlotState();
  return {
    name: 'bop',
    step(slot, w, g) {
      state.nextStep(slot);
      const m = state.buffer(slot, 'm', w.length);
      for (let i = 0; i < w.length; i++) {
        m[i]! += gamma * (g[i]! - m[i]!);
        if (w[i]! * m[i]! > threshold) w[i] = -w[i]!;
      }
    },
  };
}
