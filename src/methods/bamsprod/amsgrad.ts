// AMSGrad (Reddi, Kale & Kumar 2018), docs/papers/bamsprod.md "Baselines": v̂_t = max(v̂_{t−1}, v_t). Two forms:
//   'reddi'   Algorithm 2 of the paper: θ ← θ − α_t m_t/(√v̂_t + ε), no bias correction;
//   'pytorch' torch.optim.Adam(amsgrad=True): θ ← θ − (α/(1−β1^t))·m_t/(√v̂_t/√(1−β2^t) + ε), the max over the
//             raw v and the bias corrections of Adam (what a reviewer's baseline usually is).
import { stepSize, SlotState, type ElementwiseOptimizer, type LrDecay } from './optimizer.js';

export type AmsgradForm = 'reddi' | 'pytorch';

export interface AmsgradOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  decay?: LrDecay;
  /** Default 'reddi', the paper's. */
  form?: AmsgradForm;
}

export function amsgrad({ lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, decay = 'none', form = 'reddi' }: AmsgradOptions = {}): ElementwiseOptimizer {
  const state = new SlotState();
  return {
    name: form === 'reddi' ? 'amsgrad' : 'amsgrad-pytorch',
    step(slot, w, g) {
      const t = state.nextStep(slot);
      const m = state.buffer(slot, 'm', w.length);
      const v = state.buffer(slot, 'v', w.length);
      const vHat = state.buffer(slot, 'vHat', w.length);
      const a = stepSize(lr, decay, t);
      const [c1, c2] = form === 'pytorch' ? [1 - beta1 ** t, Math.sqrt(1 - beta2 ** t)] : [1, 1];
      for (let i = 0; i < w.length; i++) {
        const gi = g[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * gi;
        v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
        vHat[i] = Math.max(vHat[i]!, v[i]!);
        w[i]! -= ((a / c1) * m[i]!) / (Math.sqrt(vHat[i]!) / c2 + eps);
      }
    },
  };
}
