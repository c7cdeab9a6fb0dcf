// The GA figure of the quick profile, alone: `repro ga` writes the same picture as cloak.png into its
// result set (from the cell that optimises the GA cloak, by cloakFigurePng of src/methods/ga/figure.ts);
// this renders it without the 23-minute run. Clean | cloaked | amplified difference (0.5 + 10·δ) of one
// synthetic user's first test render, with the quick profile's GA cloak (ε = 8, α = 1, T = 16, b = 2,
// K = 1, OPOM-affine-hull loss). Build first (npx tsc -p tsconfig.json), then
//   node benchmarks/ga/figure.mjs [out.png]      (default benchmarks/ga/figure-ga.png; about 160 image-gradients)
// The user is identity 100000 of the quick data seed (replicate 0, user 0 of `repro ga --profile quick`),
// cloak seed as in the paper module, so the cloak is the one of that run.
import { writeFileSync } from 'node:fs';
import { selectBackend } from '../../dist/engine/backend.js';
import { derivedSeed } from '../../dist/core/rng.js';
import { createFaceGenerator, mixSeed } from '../../dist/data/synth3dmm/index.js';
import { applyCloak, cloakFigurePng, loadFaceApiSurrogate, optimiseCloak, surrogateOracle } from '../../dist/methods/ga/index.js';

const out = process.argv[2] ?? 'benchmarks/ga/figure-ga.png';
const seed = 20240601;
const S = 112;
await selectBackend('wasm');
const dataSeed = derivedSeed(seed, 'data');
const gen = createFaceGenerator({ seed: dataSeed, size: S });
const id = 100_000;
const render = (seeds) => {
  const images = new Float32Array(seeds.length * S * S * 3);
  seeds.forEach((s, k) =>
    images.set(
      Array.from(gen.identity(id).render(s).rgb, (v) => v / 255),
      k * S * S * 3,
    ),
  );
  return { images, n: seeds.length, height: S, width: S };
};
const train = render(Array.from({ length: 10 }, (_, k) => mixSeed(dataSeed, 1, id, k)));
const test = render([mixSeed(dataSeed, 2, id, 0)]);
const surrogate = await loadFaceApiSurrogate();
const config = { optimizer: 'ga', epsilon: 8 / 255, step: 1 / 255, outerSteps: 16, batch: 2, innerFactor: 1, innerUpdate: true, momentum: 0, init: 'uniform' };
const t0 = performance.now();
const { delta, counts } = await optimiseCloak(surrogateOracle(surrogate, train, 'affine-hull'), train.n, S * S * 3, config, derivedSeed(seed, 'cloak-r0-u0'));
const cloaked = applyCloak(test.images, 1, delta);
writeFileSync(out, await cloakFigurePng(test.images, cloaked, S, S));
console.log(
  `${out}: clean | cloaked | 0.5 + 10·(cloaked − clean); ${counts.imageGradients} image-gradients, ${counts.outerSigns} outer signs, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
);
