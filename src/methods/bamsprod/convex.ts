// The convex counterexample, docs/papers/bamsprod.md "The convex counterexample" [recon]: Reddi et al.'s online
// linear losses made binary through the STE. f_t(x) = C·x if t mod 3 = 1, else −x, x = sign(w),
// w ∈ [−1, 1]. The optimum is x* = −1; Adam drifts to +1 with average regret → 2(C − 2)/3.
import { projectBox, type ElementwiseOptimizer } from './optimizer.js';

export interface CounterexampleOptions {
  /** C > 2. */
  c: number;
  steps: number;
  /** Initial latent weight. */
  w0?: number;
  /** true: the loss sees x = sign(w) (sign(0) = +1); false: the real-valued w. */
  binary?: boolean;
}

export interface CounterexampleResult {
  finalW: number;
  /** (1/T) Σ_t [f_t(x_t) − f_t(x*)], x* = −1. */
  averageRegret: number;
}

export const counterexampleGradient = (t: number, c: number): number => (t % 3 === 1 ? c : -1);

/** Runs one optimiser on the counterexample; the STE gradient of a linear loss is its slope. */
export function runCounterexample(optimizer: ElementwiseOptimizer, { c, steps, w0 = 0, binary = true }: CounterexampleOptions): CounterexampleResult {
  const w = new Float32Array([w0]);
  const g = new Float32Array(1);
  let regret = 0;
  for (let t = 1; t <= steps; t++) {
    const slope = counterexampleGradient(t, c);
    const x = binary ? (w[0]! >= 0 ? 1 : -1) : w[0]!;
    regret += slope * x - slope * -1;
    g[0] = slope;
    optimizer.step('w', w, g);
    projectBox(w);
  }
  return { finalW: w[0]!, averageRegret: regret / steps };
}
