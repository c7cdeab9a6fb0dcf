// Face backbones sized for CPUs:
//  - IR-ResNet: face.evoLVe's "IR" ResNet (bottleneck_IR blocks: BN → conv3×3 → PReLU → conv3×3(stride)
//    → BN, plus a max-pool or 1×1-conv shortcut), input layer conv3×3 → BN → PReLU, output layer
//    BN → Dropout → Flatten → FC → BN1d (docs/papers/sface.md "Training recipe": "BN-Dropout-FC(512·7·7→512)-BN1d").
//    IR-50 is stages [3, 4, 14, 3] of widths [64, 128, 256, 512] at 112×112; the CPU sizes are smaller.
//  - MobileFaceNet-style: conv3×3/2 → depthwise 3×3 → inverted-residual bottlenecks (expansion t) →
//    conv1×1 → global depthwise conv (GDConv, kernel = the final map) → linear 1×1 → BN.
// The embedding is followed by a batch norm (no ReLU), as in both reference nets.
import { tf } from '../../engine/tf.js';
import { createRng, type Rng } from '../../core/rng.js';
import {
  batchNorm,
  conv,
  createStore,
  dense,
  depthwise,
  dropout,
  prelu,
  type Layer,
  type ParamStore,
  type Tensor2D,
  type Tensor4D,
  type Variable,
} from './layers.js';

export const FACE_ARCHS = ['ir', 'mobilefacenet'] as const;
export type FaceArch = (typeof FACE_ARCHS)[number];

export interface FaceNetConfig {
  arch: FaceArch;
  /** Square input side: 112 for the published nets; 32–64 for CPU runs. */
  inputSize: number;
  /** Input channels (3 RGB, 1 depth). */
  inputChannels?: number;
  /** 128 or 512 in the papers. */
  embeddingDim: number;
  /** IR: channels per stage (each stage halves the map). MobileFaceNet: [stem, expansion width, final 1×1]. */
  widths: number[];
  /** IR: blocks per stage. MobileFaceNet: bottlenecks per stage (stride 2 at each stage's first). */
  blocks: number[];
  /** IR output-layer dropout (0.4 in face.evoLVe for CASIA; 0 default here). */
  dropout?: number;
}

export interface FaceNet {
  config: FaceNetConfig;
  /** Trainable variables (conv weights, BN γ/β, PReLU slopes, FC). */
  variables: Variable[];
  /** BN running statistics. */
  state: Variable[];
  /** Draws the dropout masks (after the initial weights); a checkpoint saves its position. */
  rng: Rng;
  /** N × H × W × C images (already normalised) → N × embeddingDim embeddings. */
  forward(x: Tensor4D, training: boolean): Tensor2D;
  /** Number of trainable scalars. */
  parameterCount(): number;
  dispose(): void;
}

/** Presets: IR-50 at 112 (the backbone of docs/papers/sface.md) and CPU-sized nets. */
export const FACE_NET_PRESETS = {
  ir50: { arch: 'ir', inputSize: 112, embeddingDim: 512, widths: [64, 128, 256, 512], blocks: [3, 4, 14, 3], dropout: 0.4 },
  irSmall: { arch: 'ir', inputSize: 32, embeddingDim: 128, widths: [16, 32, 64], blocks: [1, 1, 1] },
  irTiny: { arch: 'ir', inputSize: 16, embeddingDim: 32, widths: [8, 16], blocks: [1, 1] },
  mobilefacenet: { arch: 'mobilefacenet', inputSize: 112, embeddingDim: 128, widths: [64, 128, 512], blocks: [5, 6, 2] },
  mobilefacenetSmall: { arch: 'mobilefacenet', inputSize: 32, embeddingDim: 128, widths: [16, 32, 128], blocks: [1, 1] },
} as const satisfies Record<string, FaceNetConfig>;

function sequential<T extends tf.Tensor>(layers: Layer<tf.Tensor, tf.Tensor>[]): Layer<T, tf.Tensor> {
  return (x, training) => layers.reduce<tf.Tensor>((h, l) => l(h, training), x);
}

/** face.evoLVe bottleneck_IR. */
function irBlock(store: ParamStore, cin: number, cout: number, stride: number): Layer {
  const shortcut: Layer =
    cin === cout
      ? (x) => (stride === 1 ? x : tf.maxPool(x, 1, stride, 'same'))
      : (
          (conv1, bn) => (x: Tensor4D, t: boolean) =>
            bn(conv1(x, t), t) as Tensor4D
        )(conv(store, cin, cout, 1, stride), batchNorm(store, cout));
  const residual = sequential<Tensor4D>([
    batchNorm(store, cin),
    conv(store, cin, cout, 3, 1) as Layer<tf.Tensor, tf.Tensor>,
    prelu(store, cout),
    conv(store, cout, cout, 3, stride) as Layer<tf.Tensor, tf.Tensor>,
    batchNorm(store, cout),
  ]);
  return (x, training) => tf.add(residual(x, training), shortcut(x, training)) as Tensor4D;
}

function buildIr(store: ParamStore, c: FaceNetConfig): Layer<Tensor4D, Tensor2D> {
  const cin = c.inputChannels ?? 3;
  const layers: Layer<tf.Tensor, tf.Tensor>[] = [
    conv(store, cin, c.widths[0]!, 3, 1) as Layer<tf.Tensor, tf.Tensor>,
    batchNorm(store, c.widths[0]!),
    prelu(store, c.widths[0]!),
  ];
  let channels = c.widths[0]!;
  c.widths.forEach((width, stage) => {
    for (let b = 0; b < c.blocks[stage]!; b++) {
      layers.push(irBlock(store, channels, width, b === 0 ? 2 : 1) as Layer<tf.Tensor, tf.Tensor>);
      channels = width;
    }
  });
  const side = c.inputSize / 2 ** c.widths.length;
  if (!Number.isInteger(side)) throw new RangeError(`IR net: input ${c.inputSize} is not divisible by 2^${c.widths.length}`);
  const flat = side * side * channels;
  const bn2d = batchNorm(store, channels);
  const drop = dropout(c.dropout ?? 0, store.rng);
  const fc = dense(store, flat, c.embeddingDim, true);
  const bn1d = batchNorm(store, c.embeddingDim);
  const body = sequential<Tensor4D>(layers);
  return (x, training) => {
    const h = drop(bn2d(body(x, training), training), training);
    return bn1d(fc(tf.reshape(h, [x.shape[0], flat]) as Tensor2D, training), training) as Tensor2D;
  };
}

/** MobileNetV2 inverted residual: 1×1 expand → PReLU → depthwise 3×3 → PReLU → 1×1 linear project. */
function bottleneck(store: ParamStore, cin: number, cout: number, stride: number, expansion: number): Layer {
  const hidden = cin * expansion;
  const body = sequential<Tensor4D>([
    conv(store, cin, hidden, 1, 1) as Layer<tf.Tensor, tf.Tensor>,
    batchNorm(store, hidden),
    prelu(store, hidden),
    depthwise(store, hidden, 3, stride) as Layer<tf.Tensor, tf.Tensor>,
    batchNorm(store, hidden),
    prelu(store, hidden),
    conv(store, hidden, cout, 1, 1) as Layer<tf.Tensor, tf.Tensor>,
    batchNorm(store, cout),
  ]);
  const residual = stride === 1 && cin === cout;
  return (x, training) => (residual ? (tf.add(x, body(x, training)) as Tensor4D) : (body(x, training) as Tensor4D));
}

function buildMobileFaceNet(store: ParamStore, c: FaceNetConfig): Layer<Tensor4D, Tensor2D> {
  const cin = c.inputChannels ?? 3;
  const [stem, width, last] = c.widths as [number, number, number];
  const layers: Layer<tf.Tensor, tf.Tensor>[] = [
    conv(store, cin, stem, 3, 2) as Layer<tf.Tensor, tf.Tensor>,
    batchNorm(store, stem),
    prelu(store, stem),
    depthwise(store, stem, 3, 1) as Layer<tf.Tensor, tf.Tensor>,
    batchNorm(store, stem),
    prelu(store, stem),
  ];
  let channels = stem;
  let side = c.inputSize / 2;
  c.blocks.forEach((count, stage) => {
    const out = stage === 0 ? stem : width;
    for (let b = 0; b < count; b++) {
      layers.push(bottleneck(store, channels, out, b === 0 ? 2 : 1, 2) as Layer<tf.Tensor, tf.Tensor>);
      channels = out;
      if (b === 0) side /= 2;
    }
  });
  if (!Number.isInteger(side)) throw new RangeError(`MobileFaceNet: input ${c.inputSize} is not divisible by 2^${c.blocks.length + 1}`);
  layers.push(conv(store, channels, last, 1, 1) as Layer<tf.Tensor, tf.Tensor>, batchNorm(store, last), prelu(store, last));
  // GDConv: a depthwise conv whose kernel covers the whole final map ('valid' → 1×1), then linear 1×1.
  layers.push(depthwise(store, last, side, 1, 'valid') as Layer<tf.Tensor, tf.Tensor>, batchNorm(store, last));
  layers.push(conv(store, last, c.embeddingDim, 1, 1) as Layer<tf.Tensor, tf.Tensor>);
  const body = sequential<Tensor4D>(layers);
  const bn = batchNorm(store, c.embeddingDim);
  return (x, training) => bn(tf.reshape(body(x, training), [x.shape[0], c.embeddingDim]), training) as Tensor2D;
}

/** Builds a face backbone with weights drawn from `seed`. */
export function createFaceNet(config: FaceNetConfig, seed: number): FaceNet {
  const store = createStore(createRng(seed));
  const forward = config.arch === 'ir' ? buildIr(store, config) : buildMobileFaceNet(store, config);
  return {
    config,
    variables: store.trainable,
    state: store.state,
    rng: store.rng,
    forward,
    parameterCount: () => store.trainable.reduce((a, v) => a + v.size, 0),
    dispose() {
      for (const v of [...store.trainable, ...store.state]) v.dispose();
    },
  };
}

/**
 * Embeddings of a set of NHWC images in batches (inference mode), as a Float32Array (n × dim).
 * `normalize` maps raw [0, 1] pixels to the net's input ((x − 0.5)/0.5, InsightFace's (x−127.5)/128).
 */
export async function embedImages(net: FaceNet, images: Float32Array, count: number, batchSize = 64): Promise<Float32Array> {
  const { inputSize } = net.config;
  const channels = net.config.inputChannels ?? 3;
  const per = inputSize * inputSize * channels;
  if (images.length !== count * per) throw new RangeError(`embedImages: expected ${count}×${inputSize}×${inputSize}×${channels} values, got ${images.length}`);
  const out = new Float32Array(count * net.config.embeddingDim);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const emb = tf.tidy(() => {
      const x = normalizeInput(tf.tensor4d(images.subarray(start * per, (start + n) * per), [n, inputSize, inputSize, channels]));
      return net.forward(x, false);
    });
    out.set(await emb.data(), start * net.config.embeddingDim);
    emb.dispose();
  }
  return out;
}

/** InsightFace input normalisation: (x·255 − 127.5)/128 for x in [0, 1]. */
export function normalizeInput(x: Tensor4D): Tensor4D {
  return tf.div(tf.sub(tf.mul(x, 255), 127.5), 128) as Tensor4D;
}

/** Mirrors NHWC images left-right (for flip-summed embeddings). */
export function mirrorImages(images: Float32Array, count: number, size: number, channels: number): Float32Array {
  const out = new Float32Array(images.length);
  for (let n = 0; n < count; n++)
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const src = ((n * size + y) * size + x) * channels;
        const dst = ((n * size + y) * size + (size - 1 - x)) * channels;
        for (let c = 0; c < channels; c++) out[dst + c] = images[src + c]!;
      }
  return out;
}
