// Wall time of a paper's quick profile (any registered paper): every cell of the plan, run in a pool of
// worker processes (src/harness/pool.ts), as the harness runs independent cells. Prints the time of each
// cell, the total wall time and the measured rows (`--metric NAME` keeps one metric). A benchmark, not a
// test: nothing asserts a speed. Targets: sface, lrfr and mda within 15 min on 2 cores (issues 6 and 7).
//
// usage: npm run build && node benchmarks/quick-profile.mjs --paper ID [--metric NAME] [--jobs 2] [--backend wasm|cpu] [--seed N] [--out file.json]
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { selectBackend } from '../dist/engine/backend.js';
import { runCellsInPool } from '../dist/harness/pool.js';
import { DEFAULT_SEED } from '../dist/harness/runner.js';
import { PAPERS } from '../dist/papers/index.js';

const { values } = parseArgs({
  options: {
    paper: { type: 'string', default: 'sface' },
    metric: { type: 'string' },
    jobs: { type: 'string', default: '2' },
    backend: { type: 'string', default: 'wasm' },
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    profile: { type: 'string', default: 'quick' },
    out: { type: 'string' },
  },
});
const paper = PAPERS.find((p) => p.id === values.paper);
if (!paper) throw new Error(`--paper must be one of ${PAPERS.map((p) => p.id).join(', ')}, got ${values.paper}`);
const jobs = Number(values.jobs);
const backend = await selectBackend(values.backend);
const cells = paper.plan(values.profile, Number(values.seed));
const t0 = performance.now();
const outcomes = await runCellsInPool({
  paperId: paper.id,
  cells,
  jobs,
  backend: backend.name,
  profile: values.profile,
  dataDir: '/nonexistent',
  progress: { start() {}, tick() {}, stop() {}, log: (m) => console.error(m) },
});
const wallS = (performance.now() - t0) / 1000;

const fmt = (x) => (x === null || x === undefined ? '' : Number(x).toFixed(2));
console.log(`${paper.id} ${values.profile}: ${cells.length} cells, ${jobs} worker(s) on ${availableParallelism()} cores, backend ${backend.name}`);
for (const o of outcomes) console.log(`  ${o.cell.id.padEnd(30)} ${(o.durationMs / 1000).toFixed(1).padStart(7)} s${o.error ? `  ERROR ${o.error}` : ''}`);
const cellSum = outcomes.reduce((s, o) => s + o.durationMs, 0) / 1000;
console.log(`wall ${wallS.toFixed(1)} s; sum of cell times ${cellSum.toFixed(1)} s`);
console.log('key,metric,value');
for (const o of outcomes)
  for (const r of o.rows.filter((r) => !values.metric || r.metric === values.metric))
    console.log(`${Object.values(r.key).join(' ')},${r.metric},${fmt(r.value)}`);
if (values.out) {
  const summary = {
    paper: paper.id,
    profile: values.profile,
    jobs,
    backend: backend.name,
    seed: Number(values.seed),
    wallSeconds: Number(wallS.toFixed(1)),
    cellSeconds: Object.fromEntries(outcomes.map((o) => [o.cell.id, Number((o.durationMs / 1000).toFixed(1))])),
    rows: outcomes.flatMap((o) => o.rows.map((r) => ({ key: r.key, metric: r.metric, value: r.value }))),
    node: process.version,
    date: new Date().toISOString(),
  };
  writeFileSync(values.out, `${JSON.stringify(summary, null, 2)}\n`);
}
