// Top-N erasing (docs/papers/gabn.md "Top-N erasing", [recon]): the N most attended cells of each
// GAM, up-sampled to the image (each cell covers (S/G)² pixels), set to 0 or to the image's mean colour,
// giving x_mask; the network is trained on x_mask with the same label (an extra margin-softmax term).
import { tf } from '../../engine/tf.js';

type Tensor3D = tf.Tensor3D;
type Tensor4D = tf.Tensor4D;

export type EraseFill = 'zero' | 'mean';

/**
 * 1 on the N largest cells of each N×G×G map, 0 elsewhere (ties: the lower cell index first). It is a
 * constant for the gradient: one tape node whose gradient is zero (topk has no gradient in tfjs, and the
 * ops inside a customGrad are not recorded), so it can be built inside a training step.
 */
export function topNCellMask(maps: Tensor3D, n: number): Tensor3D {
  const [b, gh, gw] = maps.shape;
  if (!Number.isInteger(n) || n < 0 || n > gh * gw) throw new RangeError(`topNCellMask: N = ${n} is not in 0..${gh * gw}`);
  const mask = tf.customGrad(((m: tf.Tensor) => ({
    value:
      n === 0
        ? tf.zerosLike(m)
        : tf.reshape(tf.cast(tf.sum(tf.oneHot(tf.topk(tf.reshape(m, [b, gh * gw]), n, true).indices, gh * gw), 1), 'float32'), [b, gh, gw]),
    gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return mask(maps) as Tensor3D;
}

/** A cell mask (N×G×G) as a pixel mask (N×S×S×1), each cell a block of (S/G)² pixels. */
export function cellMaskToPixels(mask: Tensor3D, size: number): Tensor4D {
  const [b, gh, gw] = mask.shape;
  if (size % gh !== 0 || size % gw !== 0) throw new RangeError(`cellMaskToPixels: ${size} px is not a multiple of the ${gh}×${gw} grid`);
  const ch = size / gh;
  const cw = size / gw;
  const blocks = tf.mul(tf.reshape(mask, [b, gh, 1, gw, 1]), tf.ones([1, 1, ch, 1, cw]));
  return tf.reshape(blocks, [b, size, size, 1]) as Tensor4D;
}

/** x_mask: the masked pixels of raw images (N×S×S×C in [0, 1]) set to 0 or to each image's mean colour. */
export function eraseCells(raw: Tensor4D, mask: Tensor3D, fill: EraseFill): Tensor4D {
  const m = cellMaskToPixels(mask, raw.shape[1]);
  const kept = tf.mul(raw, tf.sub(1, m));
  if (fill === 'zero') return kept as Tensor4D;
  return tf.add(kept, tf.mul(tf.mean(raw, [1, 2], true), m)) as Tensor4D;
}
