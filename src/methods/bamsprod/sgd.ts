// Plain (projected) gradient descent: w ← w − α_t g.
import { stepSize, SlotState, type ElementwiseOptimizer, type LrDecay } from './optimizer.js';

export interface SgdOptions {
  lr: number;
  decay?: LrDecay;
}

export function sgd({ lr, decay = 'none' }: SgdOptions): ElementwiseOptimizer {
  const state = new SlotState();
  return {
    name: 'sgd',
    step(slot, w, g) {
      const a = stepSize(lr, decay, state.nextStep(slot));
      for (let i = 0; i < w.length; i++) w[i]! -= a * g[i]!;
    },
  };
}
