// AMSGrad (Reddi, Kale & Kumar 2018, Algorithm 2), docs/papers/bamsprod.md "Baselines": v̂_t = max(v̂_{t−1}, v_t),
// θ ← θ − α_t m_t/(√v̂_t + ε), no bias correction (the paper's form).
import { stepSize, SlotState, type ElementwiseOptimizer, type LrDecay } from './optimizer.js';

export interface AmsgradOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  decay?: LrDecay;
}

export function amsgrad({ lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, decay = 'none' }: AmsgradOptions = {}): ElementwiseOptimizer {
  const state = new SlotState();
  return {
    name: 'amsgrad',
    step(slot, w, g) {
      const t = state.nextStep(slot);
      const m = state.buffer(slot, 'm', w.length);
      const v = state.buffer(slot, 'v', w.length);
      const vHat = state.buffer(slot, 'vHat', w.length);
      const a = stepSize(lr, decay, t);
      for (let i = 0; i < w.length; i++) {
        const gi = g[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * gi;
        v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
        vHat[i] = Math.max(vHat[i]!, v[i]!);
        w[i]! -= (a * m[i]!) / (Math.sqrt(vHat[i]!) + eps);
      }
    },
  };
}
