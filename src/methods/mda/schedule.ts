// Epoch schedules of the official code (docs/papers/mda.md "Schedules and hyper-parameters").

/** numpy.linspace(start, stop, num): num evenly spaced points including both ends. */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num <= 0) return [];
  if (num === 1) return [start];
  const step = (stop - start) / (num - 1);
  return Array.from({ length: num }, (_, i) => (i === num - 1 ? stop : start + i * step));
}

/**
 * Forget-rate schedule r_e: `r = ones(nEpoch)·τ; r[:Tk] = linspace(0, τ^c, Tk)`. Epoch e uses r[e];
 * τ is reached at index Tk−1 (one epoch before Co-teaching's R(T) formula, as in the code).
 */
export function forgetRateSchedule(nEpoch: number, forgetRate: number, numGradual: number, exponent = 1): number[] {
  const r = new Array<number>(nEpoch).fill(forgetRate);
  const ramp = linspace(0, forgetRate ** exponent, numGradual);
  for (let i = 0; i < Math.min(numGradual, nEpoch); i++) r[i] = ramp[i]!;
  return r;
}

/** Forget rate τ from the noise: the noise rate, or half of it for asymmetric noise (JoCoR, MDA code). */
export function defaultForgetRate(noiseType: string, noiseRate: number): number {
  return noiseType === 'asymmetric' ? noiseRate / 2 : noiseRate;
}

export interface AdamPlan {
  /** Learning rate per epoch index. */
  lr: number[];
  /** Adam beta1 per epoch index. */
  beta1: number[];
}

/**
 * alpha_plan / beta1_plan: lr constant, then from `decayStart` linear decay (n−e)/(n−decayStart)·lr;
 * beta1 = 0.9, then `beta1AfterDecay` from `decayStart` (0.1 in Co-teaching and JoCoR, 0.9 in MDA).
 */
export function adamPlan(nEpoch: number, lr: number, decayStart: number, beta1AfterDecay: number): AdamPlan {
  const lrs = new Array<number>(nEpoch).fill(lr);
  const beta1 = new Array<number>(nEpoch).fill(0.9);
  for (let e = decayStart; e < nEpoch; e++) {
    lrs[e] = ((nEpoch - e) / (nEpoch - decayStart)) * lr;
    beta1[e] = beta1AfterDecay;
  }
  return { lr: lrs, beta1 };
}
