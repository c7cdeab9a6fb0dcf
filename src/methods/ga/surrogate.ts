// The white-box surrogate: face-api's ResNet-34 (128-d) as a differentiable tfjs function.
// src/data/pretrained.ts runs the same network but only returns descriptors (data(), no tape); a cloak
// needs ∂L/∂x, so the forward below restates that file's face-api forward op for op on the same decoded
// weights (test/methods/ga/surrogate.test.ts checks it against loadFaceApiResNet34().embed).
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../../engine/tf.js';
import { InputError } from '../../core/errors.js';
import { loadModelWeights } from '../../data/pretrained.js';

type Tensor = tf.Tensor;
type Tensor4D = tf.Tensor4D;
type Tensor2D = tf.Tensor2D;

/** A differentiable embedder: images [n, h, w, 3] in [0, 1] → descriptors [n, dim] (not normalised). */
export interface Surrogate {
  name: string;
  dim: number;
  forward(x: Tensor4D): Tensor2D;
  dispose(): void;
}

interface ConvLayer {
  filters: Tensor;
  bias: Tensor;
  scaleWeights: Tensor;
  scaleBiases: Tensor;
}

function convLayer(x: Tensor, p: ConvLayer, stride: 1 | 2, relu: boolean, padding: 'same' | 'valid' = 'same'): Tensor {
  let out = tf.add(tf.conv2d(x as Tensor4D, p.filters as Tensor4D, stride, padding), p.bias);
  out = tf.add(tf.mul(out, p.scaleWeights), p.scaleBiases);
  return relu ? tf.relu(out) : out;
}

function residual(x: Tensor, c1: ConvLayer, c2: ConvLayer): Tensor {
  return tf.relu(tf.add(convLayer(convLayer(x, c1, 1, true), c2, 1, false), x));
}

function residualDown(x: Tensor, c1: ConvLayer, c2: ConvLayer): Tensor {
  let out = convLayer(convLayer(x, c1, 2, true, 'valid'), c2, 1, false);
  let pooled = tf.avgPool(x as Tensor4D, 2, 2, 'valid') as Tensor;
  if (pooled.shape[1] !== out.shape[1] || pooled.shape[2] !== out.shape[2]) {
    out = tf.concat([out, tf.zeros([out.shape[0]!, 1, out.shape[2]!, out.shape[3]!])], 1);
    out = tf.concat([out, tf.zeros([out.shape[0]!, out.shape[1]!, 1, out.shape[3]!])], 2);
  }
  if (pooled.shape[3] !== out.shape[3]) pooled = tf.concat([pooled, tf.zeros(pooled.shape)], 3);
  return tf.relu(tf.add(pooled, out));
}

const MEAN_RGB = [122.782, 117.001, 104.298] as const;
const BLOCKS: readonly [string, 'residual' | 'down'][] = [
  ['conv32_1', 'residual'],
  ['conv32_2', 'residual'],
  ['conv32_3', 'residual'],
  ['conv64_down', 'down'],
  ['conv64_1', 'residual'],
  ['conv64_2', 'residual'],
  ['conv64_3', 'residual'],
  ['conv128_down', 'down'],
  ['conv128_1', 'residual'],
  ['conv128_2', 'residual'],
  ['conv256_down', 'down'],
  ['conv256_1', 'residual'],
  ['conv256_2', 'residual'],
  ['conv256_down_out', 'down'],
];
export const FACEAPI_INPUT_SIZE = 150;

/** The manifest face-api ships; a missing or malformed file is exit 2 naming it. */
export function faceApiManifestPath(): string {
  const require = createRequire(import.meta.url);
  for (const base of require.resolve.paths('@vladmandic/face-api') ?? []) {
    const dir = join(base, '@vladmandic/face-api');
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'model', 'face_recognition_model-weights_manifest.json');
  }
  throw new InputError('package @vladmandic/face-api is not installed; it ships the surrogate model. Fix: npm install');
}

/** face-api ResNet-34 with tape-recorded ops: resize to 150 (bilinear) → ·255 − mean → /255 → net → fc. */
export async function loadFaceApiSurrogate(manifest = faceApiManifestPath()): Promise<Surrogate> {
  if (!existsSync(manifest)) throw new InputError(`${manifest}: surrogate weights manifest missing. Fix: npm install @vladmandic/face-api (or reinstall it)`);
  const { weights } = await loadModelWeights(manifest);
  const get = (name: string): Tensor => {
    const t = weights[name];
    if (!t) throw new InputError(`${manifest}: weight '${name}' missing. Fix: reinstall @vladmandic/face-api`);
    return t;
  };
  const layer = (p: string): ConvLayer => ({
    filters: get(`${p}/conv/filters`),
    bias: get(`${p}/conv/bias`),
    scaleWeights: get(`${p}/scale/weights`),
    scaleBiases: get(`${p}/scale/biases`),
  });
  const stem = layer('conv32_down');
  const blocks = BLOCKS.map(([name, kind]) => ({ kind, c1: layer(`${name}/conv1`), c2: layer(`${name}/conv2`) }));
  const fc = get('fc');
  const mean = tf.tensor1d([...MEAN_RGB]);
  return {
    name: 'faceapi-resnet34',
    dim: fc.shape[1]!,
    forward(x) {
      const sized =
        x.shape[1] === FACEAPI_INPUT_SIZE && x.shape[2] === FACEAPI_INPUT_SIZE
          ? x
          : tf.image.resizeBilinear(x, [FACEAPI_INPUT_SIZE, FACEAPI_INPUT_SIZE], false);
      const input = tf.div(tf.sub(tf.mul(sized, 255), mean), 255);
      let out = tf.maxPool(convLayer(input, stem, 2, true, 'valid') as Tensor4D, 3, 2, 'valid') as Tensor;
      for (const b of blocks) out = b.kind === 'residual' ? residual(out, b.c1, b.c2) : residualDown(out, b.c1, b.c2);
      return tf.matMul(tf.mean(out, [1, 2]) as Tensor2D, fc as Tensor2D);
    },
    dispose() {
      for (const t of Object.values(weights)) t.dispose();
      mean.dispose();
    },
  };
}
