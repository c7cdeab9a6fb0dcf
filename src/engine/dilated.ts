// Trainable dilated (atrous) convolutions, regular and depthwise, at any rate, on every backend.
// tfjs refuses gradients of convolutions with dilations > 1, so a rate-r convolution is computed as
// TensorFlow's `with_space_to_batch` does: spaceToBatchND(x, [r, r], paddings) → stride-1 'valid'
// convolution → batchToSpaceND(·, [r, r], crops). The r² phases of the input become batch entries, on
// which the dilated filter is a dense one; the forward result equals conv2d(x, W, 1, padding, 'NHWC', r)
// and both reshuffles have gradients, so it trains wherever conv2d trains.
import { tf } from './tf.js';

type Tensor1D = ReturnType<typeof tf.tensor1d>;
type Tensor4D = ReturnType<typeof tf.tensor4d>;
export type DilationRate = number | [number, number];
export type ConvPadding = 'same' | 'valid';
export type FusedActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid';

export interface DilatedConvOptions {
  /** Dilation rate (1 = an ordinary convolution). */
  rate: DilationRate;
  padding: ConvPadding;
  /** Per-output-channel bias, added before the activation. */
  bias?: Tensor1D;
  activation?: FusedActivation;
}

export interface SpaceToBatchPlan {
  blockShape: [number, number];
  /** spaceToBatchND paddings: [[top, bottom], [left, right]]. */
  paddings: [[number, number], [number, number]];
  /** batchToSpaceND crops: [[top, bottom], [left, right]]. */
  crops: [[number, number], [number, number]];
}

function pair(rate: DilationRate): [number, number] {
  const r = typeof rate === 'number' ? [rate, rate] : rate;
  if (!r.every((v) => Number.isInteger(v) && v >= 1)) throw new Error(`dilation rate must be integers >= 1, got ${JSON.stringify(rate)}`);
  return r as [number, number];
}

/**
 * The paddings and crops of TensorFlow's `required_space_to_batch_paddings`: 'same' pads the effective
 * filter extent (k−1)·r like conv2d does (the smaller half first), 'valid' pads nothing; then the end is
 * padded up to a multiple of r, and exactly that extra is cropped after batchToSpaceND.
 */
export function spaceToBatchPlan(inputHW: [number, number], filterHW: [number, number], rate: DilationRate, padding: ConvPadding): SpaceToBatchPlan {
  const r = pair(rate);
  const paddings: [number, number][] = [];
  const crops: [number, number][] = [];
  for (let axis = 0; axis < 2; axis++) {
    const effective = (filterHW[axis] - 1) * r[axis];
    const base = padding === 'same' ? effective : 0;
    const start = Math.floor(base / 2);
    const end = base - start;
    const extra = (r[axis] - ((inputHW[axis] + start + end) % r[axis])) % r[axis];
    paddings.push([start, end + extra]);
    crops.push([0, extra]);
  }
  return {
    blockShape: r,
    paddings: paddings as SpaceToBatchPlan['paddings'],
    crops: crops as SpaceToBatchPlan['crops'],
  };
}

function throughSpaceToBatch(x: Tensor4D, filterHW: [number, number], options: DilatedConvOptions, conv: (batched: Tensor4D) => Tensor4D): Tensor4D {
  const plan = spaceToBatchPlan([x.shape[1], x.shape[2]], filterHW, options.rate, options.padding);
  return tf.tidy(() => {
    const batched = tf.spaceToBatchND(x, plan.blockShape, plan.paddings) as Tensor4D;
    return tf.batchToSpaceND(conv(batched), plan.blockShape, plan.crops) as Tensor4D;
  });
}

/**
 * y = conv2d(x, filter, stride 1, padding, NHWC, dilation rate) (+ bias, activation), trainable on every
 * backend. x: (n, h, w, cIn); filter: (kh, kw, cIn, cOut).
 */
export function dilatedConv2d(x: Tensor4D, filter: Tensor4D, options: DilatedConvOptions): Tensor4D {
  const r = pair(options.rate);
  const fused = (input: Tensor4D, pad: ConvPadding) =>
    tf.fused.conv2d({ x: input, filter, strides: 1, pad, bias: options.bias, activation: options.activation ?? 'linear' }) as Tensor4D;
  if (r[0] === 1 && r[1] === 1) return fused(x, options.padding);
  return throughSpaceToBatch(x, [filter.shape[0], filter.shape[1]], options, (batched) => fused(batched, 'valid'));
}

/**
 * y = depthwiseConv2d(x, filter, stride 1, padding, NHWC, dilation rate) (+ bias, activation), trainable on
 * every backend. x: (n, h, w, c); filter: (kh, kw, c, multiplier).
 */
export function dilatedDepthwiseConv2d(x: Tensor4D, filter: Tensor4D, options: DilatedConvOptions): Tensor4D {
  const r = pair(options.rate);
  const fused = (input: Tensor4D, pad: ConvPadding) =>
    tf.fused.depthwiseConv2d({ x: input, filter, strides: 1, pad, bias: options.bias, activation: options.activation ?? 'linear' }) as Tensor4D;
  if (r[0] === 1 && r[1] === 1) return fused(x, options.padding);
  return throughSpaceToBatch(x, [filter.shape[0], filter.shape[1]], options, (batched) => fused(batched, 'valid'));
}
