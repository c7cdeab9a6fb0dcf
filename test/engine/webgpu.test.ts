// Gradients of the reference layers on the webgpu backend against the cpu backend. In CI this runs on
// Mesa's llvmpipe through Dawn's OpenGL ES backend (.ci/run installs Mesa's EGL and GLES).
import { discardFiles } from '../../src/harness/cell-files.js';
import { describe, expect, it } from 'vitest';
import { dilatedConv2d, dilatedDepthwiseConv2d } from '../../src/engine/dilated.js';
import { tf } from '../../src/engine/tf.js';
import { selectBackend } from '../../src/engine/backend.js';
import { activateWebgpu, probeWebgpu } from '../../src/engine/webgpu.js';
import { silentProgress } from '../../src/core/progress.js';
import { getPaper } from '../../src/papers/index.js';
import { binaryDense } from '../../src/nets/binary.js';
import { randomValues, relativeError } from './helpers.js';

type T = ReturnType<typeof tf.tensor>;

const probe = await probeWebgpu();
if (!probe.ok) console.warn(`webgpu tests skipped: ${probe.reason}`);

/** Gradients of `loss` with respect to every input, on one backend, read asynchronously. */
async function gradientsOn(backend: 'cpu' | 'webgpu', shapes: number[][], loss: (...xs: T[]) => T): Promise<Float32Array[]> {
  if (backend === 'webgpu') {
    const active = await activateWebgpu();
    if (!active.ok) throw new Error(active.reason);
  } else {
    await tf.setBackend('cpu');
  }
  const inputs = shapes.map((shape, i) =>
    tf.tensor(
      randomValues(
        shape.reduce((a, b) => a * b, 1),
        100 + i,
      ),
      shape,
    ),
  );
  const grads = tf.grads((...xs: T[]) => loss(...xs))(inputs);
  const values = await Promise.all(grads.map(async (g) => Float32Array.from(await g.data())));
  tf.dispose([...inputs, ...grads]);
  return values;
}

const cases: [string, number[][], (...xs: T[]) => T][] = [
  [
    'conv2d stride 2 same + relu',
    [
      [2, 9, 9, 3],
      [3, 3, 3, 4],
    ],
    (x, w) => tf.sum(tf.relu(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'))),
  ],
  [
    'depthwise 5x5 valid',
    [
      [2, 9, 9, 3],
      [5, 5, 3, 2],
    ],
    (x, w) => tf.sum(tf.square(tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid'))),
  ],
  [
    'dilated conv rate 2',
    [
      [1, 10, 10, 2],
      [3, 3, 2, 3],
    ],
    (x, w) => tf.sum(tf.square(dilatedConv2d(x as tf.Tensor4D, w as tf.Tensor4D, { rate: 2, padding: 'same' }))),
  ],
  [
    'dilated depthwise rate 3',
    [
      [1, 11, 11, 2],
      [3, 3, 2, 1],
    ],
    (x, w) => tf.sum(tf.square(dilatedDepthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, { rate: 3, padding: 'same' }))),
  ],
  [
    'binary dense (STE)',
    [
      [4, 6],
      [6, 5],
    ],
    (x, w) => tf.sum(tf.square(binaryDense(x as tf.Tensor2D, w as tf.Tensor2D))),
  ],
  [
    'batch norm + dense + softmax cross-entropy',
    [[8, 6], [6], [6], [6, 3]],
    (x, gamma, beta, w) => {
      const { mean, variance } = tf.moments(x!, 0);
      const h = tf.batchNorm(x!, mean, variance, beta as tf.Tensor1D, gamma as tf.Tensor1D, 1e-5);
      const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3);
      return tf.losses.softmaxCrossEntropy(labels, tf.matMul(h as tf.Tensor2D, w as tf.Tensor2D));
    },
  ],
];

describe.skipIf(!probe.ok)(`webgpu backend (${probe.ok ? probe.adapter.name : 'no adapter'})`, () => {
  it.each(cases)('%s: gradients match the cpu backend', async (_name, shapes, loss) => {
    const reference = await gradientsOn('cpu', shapes, loss);
    const actual = await gradientsOn('webgpu', shapes, loss);
    reference.forEach((r, i) => expect(relativeError(actual[i]!, r)).toBeLessThan(1e-4));
  });

  it('--backend webgpu selects it and names the adapter', async () => {
    const selection = await selectBackend('webgpu');
    expect(selection.name).toBe('webgpu');
    expect(selection.adapter).toBe(probe.ok ? probe.adapter.name : undefined);
    expect(tf.getBackend()).toBe('webgpu');
  });

  it.each([
    ['ddc', 'MNIST cell', (id: string) => id.startsWith('mnist-')],
    ['mda', 'first smoke cell', () => true],
  ] as const)("%s's %s gives the same table on webgpu as on wasm", async (paperId, _what, pick) => {
    const paper = getPaper(paperId);
    const cell = paper.plan('smoke', 1).find((c) => pick(c.id))!;
    const run = async (backend: 'webgpu' | 'wasm') => {
      await selectBackend(backend);
      const rows = await paper.runCell(cell, { profile: 'smoke', backend, dataDir: '/nonexistent', progress: silentProgress, files: discardFiles });
      return rows.map((r) => r.value!);
    };
    const onGpu = await run('webgpu');
    const onWasm = await run('wasm');
    expect(onGpu.length).toBeGreaterThan(0);
    onGpu.forEach((v, i) => expect(v).toBeCloseTo(onWasm[i]!, 3));
  });

  it('face net + ArcFace head: loss and gradients match the cpu backend', async () => {
    // SFace is not compared: llvmpipe's acos is off by up to 1.6e-4 rad, which its k = 80 sigmoid amplifies.
    const { createFaceNet, FACE_NET_PRESETS, normalizeInput } = await import('../../src/nets/face/index.js');
    const { createHead, defaultHeadConfig } = await import('../../src/methods/heads/index.js');
    const config = FACE_NET_PRESETS.irTiny;
    const size = config.inputSize;
    const images = randomValues(8 * size * size * 3, 5).map((v) => Math.abs(v) % 1);
    const labels = Int32Array.from({ length: 8 }, (_, i) => i % 4);
    const on = async (backend: 'cpu' | 'webgpu') => {
      if (backend === 'webgpu') await activateWebgpu();
      else await tf.setBackend('cpu');
      const net = createFaceNet(config, 7);
      const head = createHead(defaultHeadConfig('arcface'), config.embeddingDim, 4, 9);
      const variables = [...net.variables, ...head.variables];
      const { value, grads } = tf.variableGrads(() => head.loss(net.forward(normalizeInput(tf.tensor4d(images, [8, size, size, 3])), true), labels), variables);
      const result = { loss: (await value.data())[0]!, grads: await Promise.all(variables.map(async (v) => Float32Array.from(await grads[v.name]!.data()))) };
      tf.dispose([value, ...Object.values(grads)]);
      net.dispose();
      head.dispose();
      return result;
    };
    const reference = await on('cpu');
    const actual = await on('webgpu');
    expect(actual.loss).toBeCloseTo(reference.loss, 4);
    // One vector of all gradients: the conv biases before batch norm have a gradient of exactly 0 in
    // theory, float noise in practice, so a per-tensor relative error would compare noise with noise.
    const flat = (grads: Float32Array[]) => Float32Array.from(grads.flatMap((g) => Array.from(g)));
    expect(relativeError(flat(actual.grads), flat(reference.grads))).toBeLessThan(1e-5);
  });

  it('a training step does not leak tensors', async () => {
    await activateWebgpu();
    const w = tf.variable(tf.tensor2d(randomValues(12, 7), [4, 3]));
    const x = tf.tensor2d(randomValues(20, 8), [5, 4]);
    const optimizer = tf.train.sgd(0.01);
    const step = async () => {
      const loss = tf.tidy(() => optimizer.minimize(() => tf.sum(tf.square(tf.matMul(x, w))), true)!);
      const value = (await loss.data())[0]!;
      loss.dispose();
      return value;
    };
    const first = await step();
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 5; i++) last = await step();
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first);
    tf.dispose([w, x]);
  });
});
