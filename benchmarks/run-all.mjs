// Every paper's quick profile end to end (issue #22): `repro run` into a fresh results root, timed from
// outside, then from each paper's run.json its wall time, its share of the whole, the sum of its cell times
// and the peak RSS of the processes that ran its cells. A benchmark, not a test: nothing asserts a speed.
// The README's timing line quotes what this script measured (benchmarks/run-all.md).
//
// usage: npm run build && node benchmarks/run-all.mjs [--profile quick] [--jobs 2] [--papers mda,acw] [--out benchmarks/run-all.csv]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: 'quick' },
    jobs: { type: 'string', default: String(availableParallelism()) },
    papers: { type: 'string' },
    out: { type: 'string', default: join(root, 'benchmarks', 'run-all.csv') },
  },
});
const { PAPERS } = await import(join(root, 'dist', 'papers', 'index.js'));
const papers = values.papers ? values.papers.split(',') : PAPERS.map((p) => p.id);
const results = mkdtempSync(join(tmpdir(), 'repro-run-all-'));
const loadBefore = loadavg()[0];
const t0 = performance.now();
// Exit 1 means a check failed, which is a result; 2 and above mean the run itself broke.
const run = spawnSync(process.execPath, [join(root, 'bin', 'run.js'), 'run', ...papers, '--profile', values.profile, '--jobs', values.jobs, '--out', results], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
const wallS = (performance.now() - t0) / 1000;
if (run.status === null || run.status > 1) {
  console.error(`repro run ended with ${run.signal ?? `exit code ${run.status}`}; results kept in ${results}`);
  process.exit(2);
}

const rows = papers.map((paper) => {
  const manifest = JSON.parse(readFileSync(join(results, paper, values.profile, 'run.json'), 'utf8'));
  const seconds = (new Date(manifest.endedAt) - new Date(manifest.startedAt)) / 1000;
  const cellSeconds = manifest.cells.reduce((s, c) => s + c.durationMs, 0) / 1000;
  const rss = manifest.cells.map((c) => c.peakRssMiB).filter((m) => typeof m === 'number');
  return { paper, seconds, cellSeconds, cells: manifest.cells.length, peakRssMiB: rss.length ? Math.max(...rss) : null, status: manifest.status };
});
rmSync(results, { recursive: true, force: true });

const note = `${values.profile}, --jobs ${values.jobs}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, load average ${loadBefore.toFixed(1)} before and ${loadavg()[0].toFixed(1)} after`;
const csv = [
  'paper,wall_s,share_percent,cell_s,cells,peak_rss_mib,status',
  ...rows.map((r) =>
    [r.paper, r.seconds.toFixed(1), ((100 * r.seconds) / wallS).toFixed(1), r.cellSeconds.toFixed(1), r.cells, r.peakRssMiB ?? '', r.status].join(','),
  ),
  `all,${wallS.toFixed(1)},100,${rows.reduce((s, r) => s + r.cellSeconds, 0).toFixed(1)},${rows.reduce((s, r) => s + r.cells, 0)},${Math.max(0, ...rows.map((r) => r.peakRssMiB ?? 0))},"${note}"`,
].join('\n');
writeFileSync(values.out, `${csv}\n`);
console.log(csv);
console.log(`\nwall ${(wallS / 60).toFixed(1)} min for ${papers.length} papers; written to ${values.out}`);
