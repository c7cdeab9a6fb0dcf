// Verification AUC of the pretrained face models on synthetic identities, and their speed.
// Run: npm run build && node benchmarks/synth3dmm/pretrained-auc.mjs [ids] [perId] [backend]
// AUC over all pairs (allPairsVerificationAuc: cosine similarity, Mann-Whitney), overall and per
// appearance group; ms per face by wall clock.
import { performance } from 'node:perf_hooks';
import { allPairsVerificationAuc, generateFaceSet, loadFaceApiResNet34, loadHumanFaceRes, selectBackend, GROUP_NAMES } from '../../dist/index.js';

const ids = Number(process.argv[2] ?? 40);
const perId = Number(process.argv[3] ?? 5);
const backend = await selectBackend(process.argv[4] ?? 'auto');
const set = generateFaceSet({ ids, perId, seed: 11, firstId: 1000 });
console.log(`backend ${backend.name}; ${ids} identities x ${perId} faces, 112x112`);
console.log('model,dim,ms_per_face,auc_all,' + GROUP_NAMES.map((g) => `auc_${g}`).join(','));
for (const load of [loadFaceApiResNet34, loadHumanFaceRes]) {
  const model = await load();
  await model.embed({ ...set, count: 1 });
  const t0 = performance.now();
  const e = await model.embed(set);
  const ms = (performance.now() - t0) / set.count;
  const perGroup = GROUP_NAMES.map((_, g) => {
    const idx = [...set.groups.keys()].filter((i) => set.groups[i] === g);
    const sub = new Float32Array(idx.length * model.dim);
    idx.forEach((i, j) => sub.set(e.subarray(i * model.dim, (i + 1) * model.dim), j * model.dim));
    return allPairsVerificationAuc(
      sub,
      model.dim,
      idx.map((i) => set.labels[i]),
    ).toFixed(4);
  });
  console.log(`${model.name},${model.dim},${ms.toFixed(1)},${allPairsVerificationAuc(e, model.dim, set.labels).toFixed(4)},${perGroup.join(',')}`);
  model.dispose();
}
