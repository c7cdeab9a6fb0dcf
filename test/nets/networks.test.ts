// Shapes and counts of the cards' networks, checked against the numbers the cards computed.
import { describe, expect, it } from 'vitest';
import {
  CONTEXT_DILATED_TAG,
  countNetwork,
  countTagged,
  jpu,
  mobileNetV1,
  NetworkSpecError,
  resolveNetwork,
  retinaFace,
  tinyYolo,
  type NetworkSpec,
} from '../../src/nets/index.js';

describe('RetinaFace-mnet0.25 (CASSOD card, "Networks")', () => {
  const net = resolveNetwork(retinaFace());
  const counts = countNetwork(net);

  it('has the card totals: 419,824 conv weights and 981.1 M MACs at 640x640', () => {
    expect(counts.weights).toBe(419_824);
    expect(counts.macs).toBe(981_145_600);
    expect(counts.byPart.backbone).toEqual({ weights: 207_600, macs: 332_851_200 });
    expect(counts.byPart.fpn!.weights).toBe(102_400);
    expect(counts.byPart.ssh!.weights).toBe(103_680);
    expect(counts.byPart.head!.weights).toBe(6_144);
  });

  it('has feature levels at strides 8, 16, 32 and SSH outputs of 64 channels', () => {
    const out = (name: string) => net.layers.find((l) => l.name === name)!.out;
    expect(out('fpn.merge1')).toEqual({ h: 80, w: 80, c: 64 });
    expect(out('fpn.merge2')).toEqual({ h: 40, w: 40, c: 64 });
    expect(out('fpn.output3')).toEqual({ h: 20, w: 20, c: 64 });
    for (const i of [1, 2, 3]) expect(out(`ssh${i}.out`).c).toBe(64);
  });

  it('keeps every map size in the dilated, CASSOD and DDC variants', () => {
    for (const variant of ['dilated', 'cassod', 'ddc'] as const) {
      const v = resolveNetwork(retinaFace({ variant }));
      for (const i of [1, 2, 3]) {
        expect(v.layers.find((l) => l.name === `ssh${i}.out`)!.out).toEqual(net.layers.find((l) => l.name === `ssh${i}.out`)!.out);
      }
    }
  });

  it('CASSOD weight ratio of the dilated context layers is (4/9)(1 + 1/16) = 68/144', () => {
    const dilated = countTagged(resolveNetwork(retinaFace({ variant: 'dilated' })), CONTEXT_DILATED_TAG);
    const cassod = countTagged(resolveNetwork(retinaFace({ variant: 'cassod' })), CONTEXT_DILATED_TAG);
    expect(dilated.weights).toBe(9 * 9 * 16 * 16);
    expect(cassod.weights).toBe(9 * (4 * 16 + 4 * 16 * 16));
    // Integer cross-multiplication: exact, no floating point.
    expect(cassod.weights * 144).toBe(dilated.weights * 68);
    expect(cassod.weights / dilated.weights).toBeCloseTo((4 / 9) * (1 + 1 / 16), 15);
  });

  it('DDC V1 reproduces the card: -20.8 % weights, -24.9 % MACs', () => {
    const ddc = countNetwork(resolveNetwork(retinaFace({ variant: 'ddc' })));
    expect(ddc.weights).toBe(419_824 - 3 * (34_560 - 5_424));
    expect(100 * (1 - ddc.weights / counts.weights)).toBeCloseTo(20.82, 2);
    expect(100 * (1 - ddc.macs / counts.macs)).toBeCloseTo(24.94, 2);
  });
});

describe('(4/9)(1 + 1/C_out) for any output width', () => {
  it.each([8, 16, 32, 64])('C_out = %i', (cout) => {
    const make = (cassod: boolean): NetworkSpec => ({
      name: 'one',
      inputs: { x: { h: 12, w: 12, c: 24 } },
      layers: cassod
        ? [
            {
              kind: 'cascade',
              name: 'c',
              stages: [
                { out: 24, k: 2, dilation: 2, groups: 'depthwise', pad: [2, 0, 2, 0] },
                { out: cout, k: 2, dilation: 2, pad: [0, 2, 0, 2] },
              ],
            },
          ]
        : [{ kind: 'conv', name: 'c', out: cout, k: 3, dilation: 2, pad: 2 }],
    });
    const a = resolveNetwork(make(false));
    const b = resolveNetwork(make(true));
    expect(b.layers.at(-1)!.out).toEqual(a.layers.at(-1)!.out);
    const ratio = countNetwork(b).weights / countNetwork(a).weights;
    expect(ratio * 9 * cout).toBeCloseTo(4 * (cout + 1), 10);
  });
});

describe('Tiny-YOLOv2 face (Condensation card layer table)', () => {
  it('has 15,758,256 weights, 3.47 G MACs and a 13x13x30 output', () => {
    const net = resolveNetwork(tinyYolo());
    const counts = countNetwork(net);
    expect(counts.weights).toBe(15_758_256);
    expect(counts.macs).toBe(3_469_080_576);
    expect(net.layers.at(-1)!.out).toEqual({ h: 13, w: 13, c: 30 });
    expect(counts.layers.find((l) => l.name === 'conv8')!.macs).toBe(1_594_884_096);
  });

  it("CCP doubles a layer's filters but keeps every stored width", () => {
    const plain = resolveNetwork(tinyYolo());
    const cond = resolveNetwork(tinyYolo({ ccpLayers: [3, 4, 5, 6] }));
    const w = (n: typeof plain, name: string) => countNetwork(n).layers.find((l) => l.name === name)!.weights;
    for (const name of ['conv3', 'conv4', 'conv5', 'conv6']) expect(w(cond, name)).toBe(2 * w(plain, name));
    expect(w(cond, 'conv7')).toBe(w(plain, 'conv7'));
    for (const pool of ['pool3', 'pool4', 'pool5', 'pool6']) {
      expect(cond.layers.find((l) => l.name === pool)!.out).toEqual(plain.layers.find((l) => l.name === pool)!.out);
    }
  });
});

describe('MobileNetV1 and the JPU', () => {
  it('MobileNetV1 depthwise weights: 44,640 at width 1 (x25/9 at 5x5), 11,160 at width 0.25', () => {
    expect(countTagged(resolveNetwork(mobileNetV1()), 'depthwise').weights).toBe(44_640);
    expect(countTagged(resolveNetwork(mobileNetV1({ depthwiseKernel: 5 })), 'depthwise').weights).toBe(124_000);
    expect(countTagged(resolveNetwork(mobileNetV1({ width: 0.25 })), 'depthwise').weights).toBe(11_160);
    expect(resolveNetwork(mobileNetV1()).layers.at(-1)!.out).toEqual({ h: 1, w: 1, c: 1000 });
  });

  it('JPU: 1536-channel depthwise branches, 9 -> 8 weights per channel with CASSOD, same output', () => {
    const a = resolveNetwork(jpu());
    const b = resolveNetwork(jpu({ variant: 'cassod' }));
    expect(countTagged(a, 'jpu-depthwise').weights).toBe(4 * 9 * 1536);
    expect(countTagged(b, 'jpu-depthwise').weights).toBe(4 * 8 * 1536);
    expect(a.layers.at(-1)!.out).toEqual({ h: 60, w: 60, c: 2048 });
    expect(b.layers.at(-1)!.out).toEqual(a.layers.at(-1)!.out);
  });
});

describe('bad network specs name the layer at fault', () => {
  const base = { name: 'n', inputs: { x: { h: 8, w: 8, c: 6 } } };
  it.each([
    [[{ kind: 'conv', name: 'a', out: 4, k: 3, groups: 4 }], /layer 'a': groups 4 must divide/],
    [[{ kind: 'conv', name: 'a', out: 4, k: 9 }], /layer 'a': output .* is empty/],
    [[{ kind: 'add', name: 'a', from: ['x', 'nope'] }], /layer 'a': unknown input 'nope'/],
    [[{ kind: 'ccp', name: 'a', group: 4 }], /layer 'a': cross-channel pooling group 4/],
    [
      [
        { kind: 'conv', name: 'a', out: 4, k: 1 },
        { kind: 'conv', name: 'a', out: 4, k: 1 },
      ],
      /layer 'a': duplicate/,
    ],
  ] as [NetworkSpec['layers'], RegExp][])('%#', (layers, message) => {
    expect(() => resolveNetwork({ ...base, layers })).toThrow(NetworkSpecError);
    expect(() => resolveNetwork({ ...base, layers })).toThrow(message);
  });

  it("'same' padding gives ceil(input/stride)", () => {
    const net = resolveNetwork({ ...base, inputs: { x: { h: 7, w: 7, c: 2 } }, layers: [{ kind: 'conv', name: 'a', out: 2, k: 3, stride: 2, pad: 'same' }] });
    expect(net.layers[0]!.out).toEqual({ h: 4, w: 4, c: 2 });
  });
});
