// Builds a trainable tfjs model from the same layer specs the counters and the hardware model read
// (docs/DESIGN.md "One description per network": one description feeds the tfjs builder and the hardware model).
// Dilated convolutions go through the engine's trainable space-to-batch path (src/engine/dilated.ts).
import { dilatedConv2d, dilatedDepthwiseConv2d } from '../engine/dilated.js';
import { tf } from '../engine/tf.js';
import { createRng } from '../core/rng.js';
import { resolveNetwork, type ResolvedLayer, type ResolvedNetwork } from './shapes.js';
import type { NetworkSpec } from './spec.js';

type Tensor = ReturnType<typeof tf.tensor>;
type Tensor4D = ReturnType<typeof tf.tensor4d>;
type Tensor2D = ReturnType<typeof tf.tensor2d>;
type Variable = ReturnType<typeof tf.variable>;

export interface TfModel {
  net: ResolvedNetwork;
  /** Trainable variables in layer order (weights, then bias of each layer). */
  variables: Variable[];
  /** Output of the network's first output layer for a batch (N, H, W, C); 2-D for a dense head. */
  forward(inputs: Tensor4D | Record<string, Tensor4D>): Tensor;
  dispose(): void;
}

interface LayerParams {
  weight?: Variable;
  bias?: Variable;
}

/** He-normal weights from a seed (rng.ts) and zero biases; throws for layers tfjs cannot express. */
export function buildTfModel(spec: NetworkSpec, seed: number): TfModel {
  const net = resolveNetwork(spec);
  const rng = createRng(seed);
  const normal = (shape: number[], fanIn: number): Variable => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    const std = Math.sqrt(2 / fanIn);
    for (let i = 0; i < size; i++) values[i] = rng.normal() * std;
    return tf.variable(tf.tensor(values, shape));
  };
  const params = new Map<string, LayerParams>();
  const variables: Variable[] = [];
  for (const l of net.layers) {
    const cin = l.inShapes[0]!.c;
    const p: LayerParams = {};
    if (l.kind === 'conv') {
      const [kh, kw] = l.k;
      if (l.groups === 1) p.weight = normal([kh, kw, cin, l.out.c], kh * kw * cin);
      else if (l.groups === cin) p.weight = normal([kh, kw, cin, l.out.c / cin], kh * kw);
      else throw new RangeError(`${net.name}/${l.name}: grouped convolution (groups ${l.groups}) has no tfjs builder`);
      if (l.dilation > 1 && l.stride > 1) throw new RangeError(`${net.name}/${l.name}: dilation with stride is not supported`);
    } else if (l.kind === 'dense') {
      const fanIn = l.inShapes[0]!.h * l.inShapes[0]!.w * cin;
      p.weight = normal([fanIn, l.out.c], fanIn);
    }
    if ((l.kind === 'conv' || l.kind === 'dense') && l.bias) p.bias = tf.variable(tf.zeros([l.out.c]));
    if (p.weight) variables.push(p.weight);
    if (p.bias) variables.push(p.bias);
    params.set(l.name, p);
  }

  const padded = (x: Tensor4D, l: ResolvedLayer, value = 0): Tensor4D => {
    const [t, b, left, r] = l.pad;
    return t + b + left + r === 0
      ? x
      : (tf.pad(
          x,
          [
            [0, 0],
            [t, b],
            [left, r],
            [0, 0],
          ],
          value,
        ) as Tensor4D);
  };

  const apply = (l: ResolvedLayer, inputs: Tensor4D[]): Tensor => {
    const x = inputs[0]!;
    const p = params.get(l.name)!;
    switch (l.kind) {
      case 'conv': {
        const xp = padded(x, l);
        const activation = l.act;
        const filter = p.weight as unknown as Tensor4D;
        const bias = p.bias as unknown as ReturnType<typeof tf.tensor1d> | undefined;
        if (l.groups === 1) {
          if (l.dilation > 1) return dilatedConv2d(xp, filter, { rate: l.dilation, padding: 'valid', bias, activation });
          return tf.fused.conv2d({ x: xp, filter, strides: l.stride, pad: 'valid', bias, activation });
        }
        if (l.dilation > 1) return dilatedDepthwiseConv2d(xp, filter, { rate: l.dilation, padding: 'valid', bias, activation });
        return tf.fused.depthwiseConv2d({ x: xp, filter, strides: l.stride, pad: 'valid', bias, activation });
      }
      case 'maxpool':
        return tf.maxPool(padded(x, l, -1e30), l.k as [number, number], l.stride, 'valid');
      case 'avgpool':
        return tf.avgPool(padded(x, l), l.k as [number, number], l.stride, 'valid');
      case 'ccp': {
        // Cross-channel pooling: max over `channelGroup` adjacent channels (docs/papers/condensation.md "Cross-channel pooling").
        const [n, h, w, c] = x.shape;
        return tf.max(tf.reshape(x, [n, h, w, c / l.channelGroup, l.channelGroup]), 4);
      }
      case 'upsample':
        return tf.image.resizeNearestNeighbor(x, [l.out.h, l.out.w]);
      case 'concat':
        return tf.concat(inputs, 3);
      case 'add':
        return tf.addN(inputs);
      case 'dense': {
        const flat = tf.reshape(x, [x.shape[0], -1]) as Tensor2D;
        return tf.fused.matMul({
          a: flat,
          b: p.weight as unknown as Tensor2D,
          bias: p.bias as unknown as Tensor,
          activation: l.act,
        });
      }
    }
  };

  return {
    net,
    variables,
    forward(inputs) {
      const named: Record<string, Tensor4D> =
        inputs instanceof tf.Tensor ? { [Object.keys(net.inputs)[0]!]: inputs as Tensor4D } : (inputs as Record<string, Tensor4D>);
      const values = new Map<string, Tensor>(Object.entries(named));
      for (const l of net.layers) {
        values.set(
          l.name,
          apply(
            l,
            l.inputs.map((n) => values.get(n) as Tensor4D),
          ),
        );
      }
      return values.get(net.outputs[0]!)!;
    },
    dispose() {
      for (const v of variables) v.dispose();
    },
  };
}
