// Training guards: a loss that is NaN or ±Inf stops the cell with a message naming the step.
// The error is a plain Error, not a ReproError, so the runner marks only that cell failed and goes on.
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

/**
 * Returns the loss; throws NonFiniteLossError when it is NaN or infinite. Takes a number, not a tensor:
 * callers read the loss with `await tensor.data()`, the one read that works on every backend.
 */
export function assertFiniteLoss(value: number, step: number, label?: string): number {
  if (!Number.isFinite(value)) throw new NonFiniteLossError(step, value, label);
  return value;
}
