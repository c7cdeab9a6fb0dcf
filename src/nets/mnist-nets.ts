// Small MNIST classifiers for the accuracy rows of the CASSOD and DDC papers (quick profile, embedded
// digits). Their architecture is this project's choice [recon]: the papers' classifiers are UNKNOWN.
import { cassodModule, separable } from './blocks.js';
import type { LayerSpec, NetworkSpec } from './spec.js';

const input = { image: { h: 28, w: 28, c: 1 } };

/**
 * docs/papers/ddc.md "Large-kernel depthwise convolution": a MobileNet-style classifier whose two depthwise
 * layers use k x k filters (3 or 5); everything else is the same.
 */
export function mnistSeparable(depthwiseKernel: number): NetworkSpec {
  const k = depthwiseKernel;
  const block = (name: string, cin: number, cout: number): LayerSpec[] => {
    const [dw, pw] = separable(name, cin, cout, { k, bias: true, act: 'relu' });
    return [{ ...dw!, tags: ['depthwise'] }, pw!];
  };
  const layers: LayerSpec[] = [
    { kind: 'conv', name: 'stem', out: 16, k: 3, pad: 1, bias: true, act: 'relu' },
    { kind: 'maxpool', name: 'pool1', k: 2, stride: 2 },
    ...block('block1', 16, 32),
    { kind: 'maxpool', name: 'pool2', k: 2, stride: 2 },
    ...block('block2', 32, 64),
    { kind: 'dense', name: 'fc', out: 10, bias: true },
  ];
  return { name: `mnist-separable-dw${k}`, inputs: input, layers };
}

/**
 * docs/papers/cassod.md "Module structure": two 16 -> 16 context layers at rate `rate`, either 3x3 dilated or
 * CASSOD (depthwise 2x2 -> regular 2x2, both at the rate, no activation in between).
 */
export function mnistContext(variant: 'dilated' | 'cassod', rate = 2): NetworkSpec {
  const d = rate;
  const tags = ['context-dilated'];
  const context = (name: string): LayerSpec =>
    variant === 'dilated'
      ? { kind: 'conv', name, out: 16, k: 3, dilation: d, pad: d, bias: true, act: 'relu', tags }
      : cassodModule(name, 16, 16, d, { tags, bias: true, act: 'relu' });
  const layers: LayerSpec[] = [
    { kind: 'conv', name: 'stem', out: 16, k: 3, pad: 1, bias: true, act: 'relu' },
    { kind: 'maxpool', name: 'pool1', k: 2, stride: 2 },
    context('ctx1'),
    context('ctx2'),
    { kind: 'maxpool', name: 'pool2', k: 2, stride: 2 },
    { kind: 'dense', name: 'fc', out: 10, bias: true },
  ];
  return { name: `mnist-context-${variant}-d${d}`, inputs: input, layers };
}
