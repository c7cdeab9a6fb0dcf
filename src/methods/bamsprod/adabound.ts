// AdaBound and AMSBound (Luo et al. 2019), docs/papers/bamsprod.md "Baselines": the step size α/(√v_t + ε) is
// clipped into [η_l(t), η_u(t)], η_l = η*(1 − 1/(γt + 1)), η_u = η*(1 + 1/(γt)). Two forms:
//   'official' the authors' `adabound` package: α carries Adam's bias corrections, α·√(1−β2^t)/(1−β1^t), and
//              θ ← θ − clip(…)·m_t (no 1/√t);
//   'paper'    Algorithm 2: no bias correction, θ ← θ − clip(α/√v_t, η_l, η_u)/√t · m_t.
// AMSBound takes √ of v̂_t = max(v̂_{t−1}, v_t) instead of v_t.
import { SlotState, type ElementwiseOptimizer } from './optimizer.js';

export type AdaboundForm = 'official' | 'paper';

export interface AdaboundOptions {
  lr?: number;
  finalLr?: number;
  gamma?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Default 'official'. */
  form?: AdaboundForm;
  /** AMSBound: the running maximum of v in the denominator. */
  amsbound?: boolean;
}

export function adabound({
  lr = 1e-3,
  finalLr = 0.1,
  gamma = 1e-3,
  beta1 = 0.9,
  beta2 = 0.999,
  eps = 1e-8,
  form = 'official',
  amsbound = false,
}: AdaboundOptions = {}): ElementwiseOptimizer {
  const state = new SlotState();
  return {
    name: `${amsbound ? 'amsbound' : 'adabound'}${form === 'paper' ? '-paper' : ''}`,
    step(slot, w, g) {
      const t = state.nextStep(slot);
      const m = state.buffer(slot, 'm', w.length);
      const v = state.buffer(slot, 'v', w.length);
      const vMax = amsbound ? state.buffer(slot, 'vMax', w.length) : v;
      const a = form === 'official' ? (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t) : lr;
      const afterClip = form === 'official' ? 1 : 1 / Math.sqrt(t);
      const lower = finalLr * (1 - 1 / (gamma * t + 1));
      const upper = finalLr * (1 + 1 / (gamma * t));
      for (let i = 0; i < w.length; i++) {
        const gi = g[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * gi;
        v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
        if (amsbound) vMax[i] = Math.max(vMax[i]!, v[i]!);
        const eta = Math.min(upper, Math.max(lower, a / (Math.sqrt(vMax[i]!) + eps)));
        w[i]! -= eta * afterClip * m[i]!;
      }
    },
  };
}
