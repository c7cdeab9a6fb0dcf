// Pretrained face models from npm packages, run on the project's tfjs-core (wasm backend here).
// Goldens: descriptors of a formula image computed by the packages' OWN implementations (face-api's
// FaceRecognitionNet, human's bundled tfjs-converter GraphModel, cpu backend) with
// `node benchmarks/synth3dmm/pretrained-reference.mjs faceapi|faceres`.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/engine/backend.js';
import { tf } from '../../src/engine/tf.js';
import {
  allPairsVerificationAuc,
  cosineSimilarity,
  fileModelHandler,
  loadFaceApiResNet34,
  loadHumanFaceRes,
  loadModelWeights,
  type FaceEmbedder,
  type FaceImages,
} from '../../src/data/pretrained.js';
import { generateFaceSet } from '../../src/data/synth3dmm/index.js';
import { InputError } from '../../src/core/errors.js';

/** The reference script's input: 112x112x3 stripes and blobs in [0, 1]. */
function patternImage(): FaceImages {
  const img = new Float32Array(112 * 112 * 3);
  for (let y = 0; y < 112; y++)
    for (let x = 0; x < 112; x++)
      for (let c = 0; c < 3; c++) img[(y * 112 + x) * 3 + c] = 0.5 + 0.35 * Math.sin(0.11 * x + 0.07 * y + 1.3 * c) + 0.1 * Math.cos((0.05 * x * y) / 112 + c);
  return { images: img, count: 1, height: 112, width: 112 };
}

const REFERENCE = {
  faceapi: {
    picked: [
      -0.02479609288275242, 0.10430797934532166, 0.02905670925974846, 0.01627505011856556, -0.0392233207821846, -0.018065061420202255, -0.15140306949615479,
      -0.09323134273290634, 0.09172256290912628, 0.016260793432593346, 0.047107893973588943, 0.01439624559134245, 0.07224372029304504, -0.05676768347620964,
      0.13666430115699768, 0.0033451106864959,
    ],
    sum: -0.5501864032703452,
    norm: 1.2511730145680613,
  },
  faceres: {
    picked: [1.8788745403289795, 0, 0.019959740340709686, 0, 0, 0, 0, 0, 0, 0, 0, 0.03729642182588577, 0, 0, 0, 0],
    sum: 31.969150062766857,
    norm: 8.764250833335455,
  },
};

function expectMatchesReference(e: Float32Array, ref: (typeof REFERENCE)['faceapi']): void {
  const dim = e.length;
  const tol = 1e-4 * ref.norm; // wasm vs cpu kernels: float32 rounding only
  ref.picked.forEach((v, k) => expect(Math.abs(e[(k * dim) / 16 + 7]! - v)).toBeLessThan(tol));
  expect(Math.abs(e.reduce((s, v) => s + v, 0) - ref.sum)).toBeLessThan(10 * tol);
  expect(Math.abs(Math.hypot(...e) - ref.norm)).toBeLessThan(tol);
}

let faceapi: FaceEmbedder;
let faceres: FaceEmbedder;
const temp = mkdtempSync(join(tmpdir(), 'repro-pretrained-'));

beforeAll(async () => {
  await selectBackend('auto');
  [faceapi, faceres] = await Promise.all([loadFaceApiResNet34(), loadHumanFaceRes()]);
});
afterAll(() => {
  faceapi?.dispose();
  faceres?.dispose();
  rmSync(temp, { recursive: true, force: true });
});

describe('pretrained face models', () => {
  it('face-api ResNet-34 matches face-api’s own FaceRecognitionNet (128-d)', async () => {
    expect([faceapi.dim, faceapi.inputSize]).toEqual([128, 150]);
    expectMatchesReference(await faceapi.embed(patternImage()), REFERENCE.faceapi);
  });

  it('FaceRes matches human’s GraphModel execution (1024-d)', async () => {
    expect([faceres.dim, faceres.inputSize]).toEqual([1024, 224]);
    expectMatchesReference(await faceres.embed(patternImage()), REFERENCE.faceres);
  });

  it('gives the same embedding for the same image, alone or in a batch', async () => {
    const set = generateFaceSet({ ids: 2, perId: 1, seed: 4 });
    const one = { ...set, count: 1 };
    for (const model of [faceapi, faceres]) {
      const tensorsBefore = tf.memory().numTensors;
      const a = await model.embed(one);
      expect(tf.memory().numTensors).toBe(tensorsBefore); // no tensor leaks per call
      const b = await model.embed(one);
      const batch = await model.embed(set);
      expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
      for (let k = 0; k < model.dim; k++) expect(Math.abs(batch[k]! - a[k]!)).toBeLessThan(1e-5);
      expect(cosineSimilarity(batch, model.dim, 0, 1)).toBeLessThan(0.999);
    }
  });

  it('separates synthetic identities: verification AUC over all pairs', async () => {
    // Measured 2026-11-28 with benchmarks/synth3dmm/pretrained-auc.mjs, 30 ids x 4: face-api 0.943,
    // FaceRes 0.978 (chance is 0.5). Here a smaller set, so a looser bound.
    const set = generateFaceSet({ ids: 5, perId: 3, seed: 21, firstId: 500 });
    const aucFaceApi = allPairsVerificationAuc(await faceapi.embed(set), 128, set.labels);
    const aucFaceRes = allPairsVerificationAuc(await faceres.embed(set), 1024, set.labels);
    expect(aucFaceApi).toBeGreaterThan(0.8);
    expect(aucFaceRes).toBeGreaterThan(0.8);
  });

  it('computes the all-pairs AUC exactly (Mann-Whitney, ties counted 1/2)', () => {
    // 1-d "embeddings" ±1 make cosine similarity ±1: identities {0,0,1,1} with signs (+,+,+,-).
    const e = Float32Array.from([1, 1, 1, -1]);
    // Pairs: (0,1) same s=1; (2,3) same s=-1; different: (0,2) 1, (0,3) -1, (1,2) 1, (1,3) -1.
    // Same {1, -1} vs diff {1, -1, 1, -1}: wins 2, ties 4 → (2 + 4·½) / 8 = 0.5.
    expect(allPairsVerificationAuc(e, 1, [0, 0, 1, 1])).toBe(0.5);
    expect(allPairsVerificationAuc(Float32Array.from([1, 1, -1, -1]), 1, [0, 0, 1, 1])).toBe(1);
    // Same {-1, -1} vs diff {1, -1, -1, 1}: wins 0, ties 4 → 2 / 8.
    expect(allPairsVerificationAuc(Float32Array.from([1, -1, 1, -1]), 1, [0, 0, 1, 1])).toBe(0.25);
    expect(Number.isNaN(allPairsVerificationAuc(Float32Array.from([1, 1]), 1, [0, 0]))).toBe(true);
  });

  it('reports a missing or truncated weight file as an input error naming the file', async () => {
    const manifest = [{ paths: ['w.bin'], weights: [{ name: 'a', shape: [2, 2], dtype: 'float32' }] }];
    writeFileSync(join(temp, 'm.json'), JSON.stringify(manifest));
    await expect(fileModelHandler(join(temp, 'm.json')).load()).rejects.toThrow(/w\.bin: weight file missing/);
    writeFileSync(join(temp, 'w.bin'), Buffer.from(new Float32Array([1, 2, 3, 4]).buffer));
    const artifacts = await fileModelHandler(join(temp, 'm.json')).load();
    expect(new Float32Array(artifacts.weightData)).toEqual(Float32Array.from([1, 2, 3, 4]));
    expect(artifacts.weightSpecs.map((s) => s.name)).toEqual(['a']);
    writeFileSync(join(temp, 'bad.json'), '{"weightsManifest": 3}');
    await expect(fileModelHandler(join(temp, 'bad.json')).load()).rejects.toBeInstanceOf(InputError);
    copyFileSync(join(temp, 'm.json'), join(temp, 'copy.json'));
    writeFileSync(join(temp, 'w.bin'), Buffer.alloc(3));
    await expect(loadModelWeights(join(temp, 'copy.json'))).rejects.toThrow(/3 bytes, the manifest describes 16/);
  });
});
