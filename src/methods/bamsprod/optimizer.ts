// Optimizers as element-wise update rules on plain arrays, so one implementation serves the scalar
// convex counterexample and the tfjs networks (see `applyToVariables`).

export interface ElementwiseOptimizer {
  readonly name: string;
  /**
   * One update of `params` in place from `grads`. State (moments, step count) is kept per `slot`,
   * one slot per parameter tensor.
   */
  step(slot: string, params: Float32Array, grads: Float32Array): void;
}

/** Per-slot state: a step counter and named moment buffers allocated on first use. */
export class SlotState {
  private readonly slots = new Map<string, { t: number; buffers: Map<string, Float32Array> }>();

  /** Advances the slot's step counter and returns t (starting at 1). */
  nextStep(slot: string): number {
    const s = this.get(slot);
    return ++s.t;
  }

  buffer(slot: string, name: string, size: number, init = 0): Float32Array {
    const s = this.get(slot);
    let b = s.buffers.get(name);
    if (!b) {
      b = new Float32Array(size).fill(init);
      s.buffers.set(name, b);
    }
    return b;
  }

  private get(slot: string) {
    let s = this.slots.get(slot);
    if (!s) {
      s = { t: 0, buffers: new Map() };
      this.slots.set(slot, s);
    }
    return s;
  }
}

/** Learning-rate schedule of the convergence analyses: α_t = α/√t, or constant α. */
export type LrDecay = 'none' | 'sqrt';

export function stepSize(lr: number, decay: LrDecay, t: number): number {
  return decay === 'sqrt' ? lr / Math.sqrt(t) : lr;
}

/** Projection onto the box [lo, hi] (the feasible set of latent binary weights is [−1, 1]). */
export function projectBox(params: Float32Array, lo = -1, hi = 1): void {
  for (let i = 0; i < params.length; i++) params[i] = Math.min(hi, Math.max(lo, params[i]!));
}
