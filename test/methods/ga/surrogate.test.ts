// The differentiable face-api surrogate and its gradient oracle on the wasm backend.
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend.js';
import { tf } from '../../../src/engine/tf.js';
import { loadFaceApiResNet34 } from '../../../src/data/pretrained.js';
import { generateFaceSet } from '../../../src/data/synth3dmm/index.js';
import { InputError } from '../../../src/core/errors.js';
import { loadFaceApiSurrogate, optimiseCloak, surrogateFeatures, surrogateOracle, type CloakConfig, type Surrogate } from '../../../src/methods/ga/index.js';

let surrogate: Surrogate;
const set = generateFaceSet({ ids: 1, perId: 2, seed: 3, size: 112 });
const images = { images: set.images, n: 2, height: 112, width: 112 };

beforeAll(async () => {
  await selectBackend('wasm');
  surrogate = await loadFaceApiSurrogate();
});

describe('face-api surrogate', () => {
  it('equals the packaged descriptor forward (src/data/pretrained.ts)', async () => {
    const reference = await loadFaceApiResNet34();
    const e = await reference.embed({ images: set.images, count: 2, height: 112, width: 112 });
    const y = tf.tidy(() => surrogate.forward(tf.tensor4d(set.images, [2, 112, 112, 3])));
    const mine = await y.data();
    y.dispose();
    reference.dispose();
    for (let i = 0; i < e.length; i++) expect(Math.abs(mine[i]! - e[i]!)).toBeLessThan(1e-5);
  });

  it('a missing manifest is exit 2 naming the file', async () => {
    await expect(loadFaceApiSurrogate('/nonexistent/manifest.json')).rejects.toThrow(InputError);
    await expect(loadFaceApiSurrogate('/nonexistent/manifest.json')).rejects.toThrow('/nonexistent/manifest.json');
  });

  it('the oracle ascends the loss, and GA(b = N, one inner step) equals large-batch OPOM on it', async () => {
    const oracle = surrogateOracle(surrogate, images, 'fi-uap');
    const delta = new Float32Array(112 * 112 * 3);
    const g = await oracle(delta, [0, 1]);
    expect(g.some((v) => v !== 0)).toBe(true);
    const clean = surrogateFeatures(surrogate, images);
    const cfg: CloakConfig = {
      optimizer: 'large-batch',
      epsilon: 8 / 255,
      step: 2 / 255,
      outerSteps: 2,
      batch: 2,
      innerFactor: 1,
      innerUpdate: true,
      momentum: 0,
      init: 'zero',
    };
    const large = await optimiseCloak(oracle, 2, delta.length, cfg, 1);
    const ga = await optimiseCloak(oracle, 2, delta.length, { ...cfg, optimizer: 'ga' }, 1);
    expect(Buffer.from(ga.delta.buffer).equals(Buffer.from(large.delta.buffer))).toBe(true);
    // the cloak moves the features away from the clean ones (FI-UAP is maximised)
    const cloaked = { ...images, images: images.images.map((v, i) => Math.min(1, Math.max(0, v + large.delta[i % delta.length]!))) };
    const moved = surrogateFeatures(surrogate, cloaked);
    let cos = 0;
    for (let d = 0; d < 128; d++) cos += moved.data[d]! * clean.data[d]!;
    expect(cos).toBeLessThan(0.999);
  });
});
