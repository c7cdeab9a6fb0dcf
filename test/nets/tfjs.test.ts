// The tfjs builder reads the same specs as the counters: shapes agree, dilated and cascaded layers
// compute what the plain-JS reference computes, and every variable gets a gradient (cpu backend).
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/engine/backend.js';
import { tf } from '../../src/engine/tf.js';
import { createRng } from '../../src/core/rng.js';
import {
  buildTfModel,
  composeKernels,
  dilatedCorrelate,
  mnistContext,
  mnistSeparable,
  resolveNetwork,
  type Matrix,
  type NetworkSpec,
} from '../../src/nets/index.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

const rng = createRng(11);
const randomMatrix = (h: number, w: number): Matrix => Array.from({ length: h }, () => Array.from({ length: w }, () => rng.normal()));

function setWeight(model: ReturnType<typeof buildTfModel>, index: number, values: number[], shape: number[]) {
  model.variables[index]!.assign(tf.tensor(values, shape));
}

describe('tfjs builder', () => {
  it('output shapes equal the inferred shapes for every layer kind', () => {
    const spec: NetworkSpec = {
      name: 'all-kinds',
      inputs: { x: { h: 12, w: 12, c: 4 } },
      layers: [
        { kind: 'conv', name: 'a', out: 8, k: 3, dilation: 2, pad: 2, bias: true, act: 'relu' },
        { kind: 'ccp', name: 'b', group: 2 },
        {
          kind: 'cascade',
          name: 'c',
          stages: [
            { out: 4, k: 2, dilation: 3, groups: 'depthwise', pad: [3, 0, 3, 0] },
            { out: 4, k: 2, dilation: 3, pad: [0, 3, 0, 3] },
          ],
        },
        { kind: 'maxpool', name: 'd', k: 2, stride: 2 },
        { kind: 'upsample', name: 'e', factor: 2 },
        { kind: 'add', name: 'f', from: ['e', 'c.1'] },
        { kind: 'concat', name: 'g', from: ['f', 'b'] },
        { kind: 'conv', name: 'h', out: 6, k: 3, stride: 2, pad: 'same' },
        { kind: 'dense', name: 'i', out: 5 },
      ],
    };
    const model = buildTfModel(spec, 1);
    const resolved = resolveNetwork(spec);
    const y = model.forward(tf.zeros([2, 12, 12, 4]));
    expect(y.shape).toEqual([2, 5]);
    expect(resolved.layers.find((l) => l.name === 'h')!.out).toEqual({ h: 6, w: 6, c: 6 });
    model.dispose();
  });

  it('a dilated 3x3 layer equals the reference correlation, and a CASSOD cascade equals the composed 3x3', () => {
    const d = 2;
    const x = randomMatrix(9, 10);
    const a = randomMatrix(2, 2);
    const b = randomMatrix(2, 2);
    const k = composeKernels(a, b);
    const input = tf.tensor4d(x.flat(), [1, 9, 10, 1]);
    const dilated = buildTfModel({ name: 'd', inputs: { x: { h: 9, w: 10, c: 1 } }, layers: [{ kind: 'conv', name: 'c', out: 1, k: 3, dilation: d }] }, 1);
    setWeight(dilated, 0, k.flat(), [3, 3, 1, 1]);
    const cascade = buildTfModel(
      {
        name: 'c',
        inputs: { x: { h: 9, w: 10, c: 1 } },
        layers: [
          {
            kind: 'cascade',
            name: 'c',
            stages: [
              { out: 1, k: 2, dilation: d, groups: 'depthwise' },
              { out: 1, k: 2, dilation: d },
            ],
          },
        ],
      },
      1,
    );
    setWeight(cascade, 0, a.flat(), [2, 2, 1, 1]);
    setWeight(cascade, 1, b.flat(), [2, 2, 1, 1]);
    const reference = dilatedCorrelate(x, k, d).flat();
    const y1 = Array.from(dilated.forward(input).dataSync());
    const y2 = Array.from(cascade.forward(input).dataSync());
    expect(y1).toHaveLength(reference.length);
    y1.forEach((v, i) => expect(v).toBeCloseTo(reference[i]!, 4));
    y2.forEach((v, i) => expect(v).toBeCloseTo(reference[i]!, 4));
  });

  it.each([
    ['cassod context net', mnistContext('cassod')],
    ['separable dw5 net', mnistSeparable(5)],
  ])('%s: every variable receives a non-zero gradient', (_, spec) => {
    const model = buildTfModel(spec, 3);
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    const labels = tf.oneHot(tf.tensor1d([3, 7], 'int32'), 10);
    const { grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(labels, model.forward(x) as ReturnType<typeof tf.tensor2d>) as ReturnType<typeof tf.scalar>,
      model.variables,
    );
    for (const v of model.variables) {
      const g = grads[v.name]!;
      expect(g.shape).toEqual(v.shape);
      expect(tf.sum(tf.abs(g)).dataSync()[0]).toBeGreaterThan(0);
    }
    model.dispose();
  });
});
