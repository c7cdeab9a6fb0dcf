// MobileNetV1 classifier (Howard et al. 2017): stem conv 3x3 s2 + 13 depthwise-separable blocks +
// global average pool + dense. docs/papers/ddc.md "Large-kernel depthwise convolution" swaps the depthwise 3x3 for 5x5.
import type { LayerSpec, NetworkSpec } from './spec.js';
import { separable } from './blocks.js';

export interface MobileNetOptions {
  /** Width multiplier alpha (1.0, 0.25, ...). */
  width?: number;
  /** Depthwise kernel size (odd): 3 as published, 5 in the classification experiment of docs/papers/ddc.md. */
  depthwiseKernel?: number;
  size?: number;
  classes?: number;
}

/** [input channels, output channels, stride] of the 13 blocks at width 1.0. */
const BLOCKS: [number, number, number][] = [
  [32, 64, 1],
  [64, 128, 2],
  [128, 128, 1],
  [128, 256, 2],
  [256, 256, 1],
  [256, 512, 2],
  [512, 512, 1],
  [512, 512, 1],
  [512, 512, 1],
  [512, 512, 1],
  [512, 512, 1],
  [512, 1024, 2],
  [1024, 1024, 1],
];

export function mobileNetV1(options: MobileNetOptions = {}): NetworkSpec {
  const alpha = options.width ?? 1;
  const k = options.depthwiseKernel ?? 3;
  const size = options.size ?? 224;
  const ch = (c: number) => Math.round(c * alpha);
  const layers: LayerSpec[] = [{ kind: 'conv', name: 'stem', out: ch(32), k: 3, stride: 2, pad: 'same', part: 'stem' }];
  BLOCKS.forEach(([cin, cout, stride], i) => {
    const [dw, pw] = separable(`block${i + 1}`, ch(cin), ch(cout), { k, stride, part: 'blocks' });
    layers.push({ ...dw!, pad: 'same', tags: ['depthwise'] }, { ...pw!, tags: ['pointwise'] });
  });
  const last = Math.max(1, Math.ceil(size / 32));
  layers.push({ kind: 'avgpool', name: 'gap', k: last, stride: last, part: 'head' });
  layers.push({ kind: 'dense', name: 'fc', out: options.classes ?? 1000, part: 'head' });
  return { name: `mobilenetv1-${alpha}-dw${k}`, inputs: { image: { h: size, w: size, c: 3 } }, layers };
}
