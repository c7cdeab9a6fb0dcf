// Reference descriptors for test/data/pretrained.test.ts, computed by the packages' OWN code:
// face-api's FaceRecognitionNet and human's bundled tfjs-converter GraphModel (each bundle carries its
// own tfjs copy; they share tfjs's global registries, so run one model per process):
//   node benchmarks/synth3dmm/pretrained-reference.mjs faceapi
//   node benchmarks/synth3dmm/pretrained-reference.mjs faceres
// The input is a formula image (patternImage below; the test builds the same one), so the goldens do
// not depend on the face generator. Prints 16 values (indices k·dim/16 + 7), the sum and the L2 norm.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const which = process.argv[2];
if (which !== 'faceapi' && which !== 'faceres') throw new Error('usage: pretrained-reference.mjs faceapi|faceres');

/** 112x112x3 in [0, 1]: smooth stripes and blobs (same formula as the test). */
export function patternImage() {
  const img = new Float32Array(112 * 112 * 3);
  for (let y = 0; y < 112; y++)
    for (let x = 0; x < 112; x++)
      for (let c = 0; c < 3; c++) img[(y * 112 + x) * 3 + c] = 0.5 + 0.35 * Math.sin(0.11 * x + 0.07 * y + 1.3 * c) + 0.1 * Math.cos((0.05 * x * y) / 112 + c);
  return img;
}

const root = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-core')), '..', '..', '..', '..');
const pkg = (p) => join(root, 'node_modules', p);
// The ESM bundles detect Node and then need a `util` they do not bundle: load them as "not Node"
// and give tfjs a minimal platform instead.
const versions = process.versions;
Object.defineProperty(process, 'versions', { value: { ...versions, node: undefined }, configurable: true });
const mod = await import(which === 'faceapi' ? pkg('@vladmandic/face-api/dist/face-api.esm.js') : pkg('@vladmandic/human/dist/human.esm.js'));
Object.defineProperty(process, 'versions', { value: versions, configurable: true });
const tf = which === 'faceapi' ? mod.tf : new mod.Human({ backend: 'cpu' }).tf;
const isTypedArray = (a) => a instanceof Float32Array || a instanceof Int32Array || a instanceof Uint8Array || a instanceof Uint8ClampedArray;
tf.env().setPlatform('node-stub', {
  fetch,
  now: () => performance.now(),
  encode: (s) => new TextEncoder().encode(s),
  decode: (b) => new TextDecoder().decode(b),
  isTypedArray,
});
await tf.setBackend('cpu');
await tf.ready();
const bytes = (file) => {
  const b = readFileSync(file);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
};
const img = patternImage();
let d;
if (which === 'faceapi') {
  class Stub {}
  mod.env.setEnv({
    Canvas: Stub,
    CanvasRenderingContext2D: Stub,
    Image: Stub,
    ImageData: Stub,
    Video: Stub,
    createCanvasElement: () => ({}),
    createImageElement: () => ({}),
    createVideoElement: () => ({}),
    fetch,
    readFile: async (f) => readFileSync(f),
  });
  const dir = pkg('@vladmandic/face-api/model/');
  const manifest = JSON.parse(readFileSync(dir + 'face_recognition_model-weights_manifest.json', 'utf8'));
  mod.nets.faceRecognitionNet.loadFromWeightMap(tf.io.decodeWeights(bytes(dir + manifest[0].paths[0]), manifest[0].weights));
  d = await mod.nets.faceRecognitionNet.computeFaceDescriptor(
    tf.tensor3d(
      Array.from(img, (v) => v * 255),
      [112, 112, 3],
    ),
  );
} else {
  const dir = pkg('@vladmandic/human/models/');
  const json = JSON.parse(readFileSync(dir + 'faceres.json', 'utf8'));
  const model = await tf.loadGraphModel({
    load: async () => ({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: bytes(dir + 'faceres.bin'),
      format: json.format,
    }),
  });
  // human's description module: resizeBilinear to 224 (alignCorners false), times 255.
  const x = tf.mul(tf.image.resizeBilinear(tf.tensor4d(img, [1, 112, 112, 3]), [224, 224], false), 255);
  d = model.execute(x, 'global_pooling/Mean').dataSync();
}
const norm = Math.sqrt(Array.from(d).reduce((s, v) => s + v * v, 0));
const picked = Array.from({ length: 16 }, (_, k) => d[(k * d.length) / 16 + 7]);
const sum = Array.from(d).reduce((s, v) => s + v, 0);
console.log(JSON.stringify({ model: which, tfjs: tf.version_core, dim: d.length, picked, sum, norm }));
