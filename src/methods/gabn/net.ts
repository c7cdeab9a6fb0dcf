// The small face CNN of the quick profile (docs/papers/gabn.md "Suggested quick profile" (b), [recon];
// the paper's ResNet-34 is out of reach on 2 cores): per stage conv3×3/2 → BN → PReLU → conv3×3 → BN →
// PReLU, so that the last PReLU output is the map A that Grad-CAM reads (G×G = input / 2^stages), then
// the IR nets' output layer flatten → FC → BN1d (src/nets/face/backbones.ts) to the embedding. Built from
// the face backbones' layers; `features` and `embed` are separate so that GAMs can differentiate z by A.
import { tf } from '../../engine/tf.js';
import { createRng } from '../../core/rng.js';
import { batchNorm, conv, createStore, dense, normalizeInput, prelu } from '../../nets/face/index.js';

type Tensor2D = tf.Tensor2D;
type Tensor4D = tf.Tensor4D;

export interface GabnNetConfig {
  /** Square RGB input side (a multiple of 2^stages). */
  inputSize: number;
  /** Channels per stage; each stage halves the map. */
  widths: number[];
  embeddingDim: number;
}

export interface GabnNet {
  config: GabnNetConfig;
  /** Side G of the last map (the GAM grid). */
  grid: number;
  variables: tf.Variable[];
  /** BN running statistics. */
  state: tf.Variable[];
  /** Normalised images (normalizeInput) → the last conv map A, N×G×G×C. */
  features(x: Tensor4D, training: boolean): Tensor4D;
  /** A → embedding, N×d. */
  embed(a: Tensor4D, training: boolean): Tensor2D;
  dispose(): void;
}

export function createGabnNet(config: GabnNetConfig, seed: number): GabnNet {
  const stages = config.widths.length;
  const grid = config.inputSize / 2 ** stages;
  if (!Number.isInteger(grid) || grid < 1) throw new RangeError(`GABN net: input ${config.inputSize} is not a multiple of 2^${stages}`);
  const store = createStore(createRng(seed));
  type Layer = (x: tf.Tensor, training: boolean) => tf.Tensor;
  const layers: Layer[] = [];
  let channels = 3;
  for (const width of config.widths) {
    layers.push(conv(store, channels, width, 3, 2) as Layer, batchNorm(store, width), prelu(store, width));
    layers.push(conv(store, width, width, 3, 1) as Layer, batchNorm(store, width), prelu(store, width));
    channels = width;
  }
  const flat = grid * grid * channels;
  const fc = dense(store, flat, config.embeddingDim, true);
  const bn1d = batchNorm(store, config.embeddingDim);
  return {
    config,
    grid,
    variables: store.trainable,
    state: store.state,
    features: (x, training) => layers.reduce<tf.Tensor>((h, l) => l(h, training), x) as Tensor4D,
    embed: (a, training) => bn1d(fc(tf.reshape(a, [a.shape[0], flat]) as Tensor2D, training), training) as Tensor2D,
    dispose() {
      for (const v of [...store.trainable, ...store.state]) v.dispose();
    },
  };
}

/** NHWC images as floats in [0, 1]: 8-bit pixels are divided by 255. */
export type FaceImageData = Float32Array | Uint8Array;

/** Rows start..start+n of an image array as a tensor in [0, 1]. */
export function imageBatch(images: FaceImageData, start: number, n: number, size: number): Tensor4D {
  const per = size * size * 3;
  const part = images.subarray(start * per, (start + n) * per);
  const floats = part instanceof Float32Array ? part : Float32Array.from(part, (v) => v / 255);
  return tf.tensor4d(floats, [n, size, size, 3]);
}

/** Embeddings of raw NHWC images (inference mode), in batches: n × d; `mirror` embeds the left-right mirrored images. */
export async function embedWithGabnNet(net: GabnNet, images: FaceImageData, count: number, mirror = false, batchSize = 64): Promise<Float32Array> {
  const s = net.config.inputSize;
  if (images.length !== count * s * s * 3) throw new RangeError(`embedWithGabnNet: expected ${count}×${s}×${s}×3 values, got ${images.length}`);
  const dim = net.config.embeddingDim;
  const out = new Float32Array(count * dim);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const e = tf.tidy(() => {
      const x = imageBatch(images, start, n, s);
      return net.embed(net.features(normalizeInput(mirror ? tf.reverse(x, 2) : x), false), false);
    });
    out.set(await e.data(), start * dim);
    e.dispose();
  }
  return out;
}
