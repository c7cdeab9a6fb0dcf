// AdaBound (Luo et al. 2019), docs/papers/bamsprod.md "Baselines": the step size α/(√v_t + ε) is clipped into
// [η_l(t), η_u(t)] with η_l = η*(1 − 1/(γt + 1)), η_u = η*(1 + 1/(γt)); θ ← θ − η̂_t/√t · m_t.
// Bias corrections are folded into α as in the official code.
import { SlotState, type ElementwiseOptimizer } from './optimizer.js';

export interface AdaboundOptions {
  lr?: number;
  finalLr?: number;
  gamma?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export function adabound({ lr = 1e-3, finalLr = 0.1, gamma = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8 }: AdaboundOptions = {}): ElementwiseOptimizer {
  const state = new SlotState();
  return {
    name: 'adabound',
    step(slot, w, g) {
      const t = state.nextStep(slot);
      const m = state.buffer(slot, 'm', w.length);
      const v = state.buffer(slot, 'v', w.length);
      const a = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      const lower = finalLr * (1 - 1 / (gamma * t + 1));
      const upper = finalLr * (1 + 1 / (gamma * t));
      for (let i = 0; i < w.length; i++) {
        const gi = g[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * gi;
        v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
        const eta = Math.min(upper, Math.max(lower, a / (Math.sqrt(v[i]!) + eps)));
        w[i]! -= (eta / Math.sqrt(t)) * m[i]!;
      }
    },
  };
}
