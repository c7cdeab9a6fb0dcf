// Bridges the element-wise optimizers to tfjs variables: gradients are read out, the rule runs on a
// Float32Array master copy, and the variable is assigned the result.
import { tf } from '../../engine/tf.js';
import { projectBox, type ElementwiseOptimizer } from './optimizer.js';

export interface TrainableParam {
  variable: tf.Variable;
  /** Master copy of the values; the optimizer updates it in place. */
  values: Float32Array;
  optimizer: ElementwiseOptimizer;
  /** Latent binary weights live in the box [−1, 1] (BinaryConnect); Bop's ±1 weights need no box. */
  box: boolean;
}

export function trainableParam(name: string, values: Float32Array, shape: number[], optimizer: ElementwiseOptimizer, box = false): TrainableParam {
  return { variable: tf.variable(tf.tensor(values, shape), true, name), values, optimizer, box };
}

/**
 * One optimisation step for every parameter from the gradients `variableGrads` returned. Reads are
 * asynchronous: the webgpu backend has no synchronous read path in Node.
 */
export async function applyGradients(params: TrainableParam[], grads: tf.NamedTensorMap): Promise<void> {
  const values = await Promise.all(params.map((p) => grads[p.variable.name]?.data()));
  for (const [i, p] of params.entries()) {
    const grad = values[i];
    if (!grad) throw new Error(`no gradient for variable ${p.variable.name}`);
    p.optimizer.step(p.variable.name, p.values, grad as Float32Array);
    if (p.box) projectBox(p.values);
    tf.tidy(() => p.variable.assign(tf.tensor(p.values, p.variable.shape)));
  }
}
