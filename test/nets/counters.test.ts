// Cost what you train: the tfjs model built from a spec holds exactly the weights the counters count.
// The counters (src/nets/counters.ts) count filter weights plus a layer's biases when it has them,
// and the specs have no BN, so every trainable variable is counted: the sum of the variable sizes of
// a layer equals layerWeights, and of the model countNetwork().weights. `model.variables` is what
// trainClassifier hands to the optimiser, so these are the trained parameters.
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/engine/backend.js';
import {
  buildTfModel,
  cassodModule,
  countNetwork,
  layerWeights,
  mnistContext,
  mnistSeparable,
  mobileNetV1,
  separable,
  type NetworkSpec,
} from '../../src/nets/index.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

/** Conv (strided, biased), dilated depthwise, both CASSOD forms, a DDC block, pooling and a dense head. */
const mix: NetworkSpec = {
  name: 'mix',
  inputs: { image: { h: 20, w: 20, c: 3 } },
  layers: [
    { kind: 'conv', name: 'stem', out: 8, k: 3, stride: 2, pad: 'same', bias: true, act: 'relu' },
    { kind: 'conv', name: 'dw', out: 8, k: 3, dilation: 2, pad: 2, groups: 'depthwise' },
    cassodModule('ctx', 8, 12, 2, { bias: true, act: 'relu' }),
    cassodModule('ctxdw', 12, 12, 1, { depthwise: true }),
    ...separable('ddc', 12, 16, { dilation: 2, bias: true }),
    { kind: 'maxpool', name: 'pool', k: 2, stride: 2 },
    { kind: 'dense', name: 'fc', out: 10 },
  ],
};

describe('tfjs variables = counters', () => {
  it.each([
    ['cassod mnist, dilated', mnistContext('dilated')],
    ['cassod mnist, CASSOD', mnistContext('cassod')],
    ['ddc mnist, dw 3x3', mnistSeparable(3)],
    ['ddc mnist, dw 5x5', mnistSeparable(5)],
    ['conv/depthwise/cascade/dense mix', mix],
    ['MobileNetV1-0.25 at 32x32 (no biases)', mobileNetV1({ width: 0.25, size: 32, classes: 10 })],
  ])('%s', (_, spec) => {
    const model = buildTfModel(spec, 1);
    try {
      // Variables come in layer order, weight then bias: walk them layer by layer.
      let next = 0;
      for (const layer of model.net.layers) {
        const owned = layer.kind === 'conv' || layer.kind === 'dense' ? (layer.bias ? 2 : 1) : 0;
        const size = model.variables.slice(next, next + owned).reduce((s, v) => s + v.size, 0);
        expect(size, layer.name).toBe(layerWeights(layer));
        next += owned;
      }
      expect(next).toBe(model.variables.length);
      expect(model.variables.reduce((s, v) => s + v.size, 0)).toBe(countNetwork(model.net).weights);
    } finally {
      model.dispose();
    }
  });
});
