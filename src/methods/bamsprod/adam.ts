// Adam (Kingma & Ba 2015), docs/papers/bamsprod.md "Baselines": bias-corrected moments, θ ← θ − α m̂/(√v̂ + ε).
// `biasCorrection: false` gives the form of Reddi et al.'s counterexample, θ ← θ − α_t m_t/(√v_t + ε).
import { stepSize, SlotState, type ElementwiseOptimizer, type LrDecay } from './optimizer.js';

export interface AdamOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** 'sqrt' gives α_t = α/√t as in the convergence analyses; default constant. */
  decay?: LrDecay;
  /** Default true (Kingma & Ba, and every framework). */
  biasCorrection?: boolean;
}

export function adam({ lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, decay = 'none', biasCorrection = true }: AdamOptions = {}): ElementwiseOptimizer {
  const state = new SlotState();
  return {
    name: biasCorrection ? 'adam' : 'adam-uncorrected',
    step(slot, w, g) {
      const t = state.nextStep(slot);
      const m = state.buffer(slot, 'm', w.length);
      const v = state.buffer(slot, 'v', w.length);
      const a = stepSize(lr, decay, t);
      const c1 = biasCorrection ? 1 - beta1 ** t : 1;
      const c2 = biasCorrection ? 1 - beta2 ** t : 1;
      for (let i = 0; i < w.length; i++) {
        const gi = g[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * gi;
        v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
        w[i]! -= (a * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + eps);
      }
    },
  };
}
