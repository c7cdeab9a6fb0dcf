// Training hygiene: no tensor leaks over 50 steps (wasm, with the project's kernels), and a NaN/Inf loss
// stops with a message naming the step.
import { describe, expect, it } from 'vitest';
import { tf } from '../../src/engine/tf.js';
import { selectBackend } from '../../src/engine/backend.js';
import { dilatedConv2d } from '../../src/engine/dilated.js';
import { assertFiniteLoss, NonFiniteLossError } from '../../src/engine/guards.js';
import { ReproError } from '../../src/core/errors.js';
import { randomTensor } from './helpers.js';

type T4 = Parameters<typeof dilatedConv2d>[0];

describe('training', () => {
  it('50 SGD steps of a small conv net (strided, depthwise, dilated, batch-norm) keep numTensors flat on wasm', async () => {
    await selectBackend('wasm');
    await tf.setBackend('wasm');
    const w1 = tf.variable(tf.mul(randomTensor([3, 3, 3, 8], 1), 0.3));
    const dw = tf.variable(tf.mul(randomTensor([3, 3, 8, 1], 2), 0.3));
    const w2 = tf.variable(tf.mul(randomTensor([2, 2, 8, 8], 3), 0.3));
    const gamma = tf.variable(tf.ones([8]));
    const beta = tf.variable(tf.zeros([8]));
    const dense = tf.variable(tf.mul(randomTensor([8, 4], 4), 0.3));
    const table = tf.variable(tf.mul(randomTensor([4, 8], 5), 0.1)); // class embeddings: gather → UnsortedSegmentSum
    const vars = [w1, dw, w2, gamma, beta, dense, table];
    const x = randomTensor([8, 12, 12, 3], 6);
    const labels = tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32');
    const y = tf.oneHot(labels, 4);
    const optimizer = tf.train.momentum(0.05, 0.9);
    const lossFn = () => {
      let h = tf.relu(tf.conv2d(x as T4, w1 as T4, 2, 'same')) as T4;
      h = tf.depthwiseConv2d(h, dw as T4, 1, 'same');
      const { mean, variance } = tf.moments(h, [0, 1, 2]);
      h = tf.relu(tf.batchNorm(h, mean, variance, beta, gamma, 1e-3)) as T4;
      h = dilatedConv2d(h, w2 as T4, { rate: 2, padding: 'same' });
      const features = tf.mean(h, [1, 2]);
      const logits = tf.add(tf.matMul(features, dense), tf.sum(tf.mul(tf.gather(table, labels), 0), 1, true));
      return tf.losses.softmaxCrossEntropy(y, logits) as ReturnType<typeof tf.scalar>;
    };
    const step = async () => {
      const loss = optimizer.minimize(lossFn, true, vars)!;
      const value = assertFiniteLoss((await loss.data())[0]!, 0);
      loss.dispose();
      return value;
    };
    const first = await step(); // the optimizer creates its momentum slots here
    const before = tf.memory().numTensors;
    // The kernels' own intermediates live only in the backend: count its buffers too.
    const buffers = () => tf.backend().numDataIds();
    const buffersBefore = buffers();
    let last = first;
    for (let i = 1; i < 50; i++) last = await step();
    expect(tf.memory().numTensors).toBe(before);
    expect(buffers()).toBe(buffersBefore);
    expect(last).toBeLessThan(first); // it does train
    optimizer.dispose();
    tf.dispose([...vars, x, labels, y]);
  });

  it('assertFiniteLoss names the step and is a plain Error, not a ReproError', () => {
    expect(assertFiniteLoss(0.5, 3)).toBe(0.5);
    let error: unknown;
    try {
      assertFiniteLoss(NaN, 17, 'cell sface/arcface');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect(error).not.toBeInstanceOf(ReproError);
    expect((error as Error).message).toBe('cell sface/arcface: loss is NaN at step 17; training diverged (lower the learning rate or check the inputs)');
    expect(() => assertFiniteLoss(Infinity, 2)).toThrow(/loss is Infinity at step 2/);
    expect(() => assertFiniteLoss(-Infinity, 9)).toThrow(/loss is -Infinity at step 9/);
  });
});
