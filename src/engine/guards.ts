// Training guards: a loss that is NaN or ±Inf stops the cell with a message naming the step.
// The error is a plain Error, not a ReproError, so the runner marks only that cell failed and goes on.
import { tf } from './tf.js';

type Scalar = ReturnType<typeof tf.scalar>;

export class NonFiniteLossError extends Error {
  constructor(
    readonly step: number,
    readonly loss: number,
    label?: string,
  ) {
    super(`${label ? `${label}: ` : ''}loss is ${loss} at step ${step}; training diverged (lower the learning rate or check the inputs)`);
    this.name = 'NonFiniteLossError';
  }
}

/** Returns the loss as a number; throws NonFiniteLossError when it is NaN or infinite. Reads a tensor once. */
export function assertFiniteLoss(loss: number | Scalar, step: number, label?: string): number {
  const value = typeof loss === 'number' ? loss : loss.dataSync()[0];
  if (!Number.isFinite(value)) throw new NonFiniteLossError(step, value, label);
  return value;
}
