// Entry of the GPU kit's bundle (benchmarks/engine/gpu/prepare.sh bundles it with rolldown into .gpu/):
// the code path of `repro bench engine` (runEngineBench + engineBenchCsv, as src/commands/bench/engine.ts
// calls them) without oclif, so that one self-contained file runs on a machine with no node_modules.
// It imports the compiled dist/, so `npm run build` comes first.
//
// Differences from the command, all outside src/:
// - the tfjs wasm binaries are looked up beside the bundle (setWasmPaths), not in node_modules;
// - the webgpu adapter (api and name) is printed, written to <out>/adapter.json and added to the webgpu
//   rows' note, so that the CSV records which GPU the figures belong to.
//
// Usage: node engine.mjs [--models small,large] [--backends webgpu,wasm] [--processes N] [--warmup W]
//                        [--steps S] [--out DIR] [--name engine]   -> DIR/<name>.csv
// The same file is forked by src/bench/engine.ts for its parallel workers (REPRO_BENCH_WORKER=1): then its own
// worker code runs and main() below does not.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BENCH_MODELS } from '../../../dist/bench/models.js';
import { engineBenchCsv, runEngineBench } from '../../../dist/bench/engine.js';
import { probeWebgpu } from '../../../dist/engine/webgpu.js';
import { writeFilesAtomically } from '../../../dist/harness/results.js';
import { textTable } from '../../../dist/harness/summary.js';

const here = dirname(fileURLToPath(import.meta.url));
// Before any backend is initialised, in the main process and in every forked worker alike. Unbundled (run
// from the repository), the binaries are not beside this file and tfjs finds them in node_modules.
if (existsSync(join(here, 'tfjs-backend-wasm-simd.wasm'))) setWasmPaths(here + '/');

async function main() {
  const { values } = parseArgs({
    options: {
      models: { type: 'string', default: 'small,large' },
      backends: { type: 'string', default: 'webgpu,wasm' },
      processes: { type: 'string' },
      warmup: { type: 'string', default: '2' },
      steps: { type: 'string', default: '5' },
      out: { type: 'string', default: 'results/bench' },
      name: { type: 'string', default: 'engine' },
    },
  });
  const models = values.models.split(',').map((m) => m.trim());
  for (const m of models) if (!(m in BENCH_MODELS)) throw new Error(`unknown model '${m}': use ${Object.keys(BENCH_MODELS).join(', ')}`);
  const backends = values.backends.split(',').map((b) => b.trim());
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });

  let adapter = null;
  if (backends.includes('webgpu')) {
    const probe = await probeWebgpu();
    adapter = probe.ok ? probe.adapter : null;
    console.error(
      probe.ok ? `webgpu adapter: ${probe.adapter.name} (${probe.adapter.api}${probe.adapter.software ? ', software' : ''})` : `webgpu: ${probe.reason}`,
    );
    writeFileSync(join(out, 'adapter.json'), JSON.stringify(probe, null, 2) + '\n');
  }

  const started = performance.now();
  const rows = await runEngineBench({
    models,
    backends,
    processes: values.processes ? Number(values.processes) : undefined,
    plan: { warmup: Number(values.warmup), steps: Number(values.steps) },
    log: (line) => console.error(`[${((performance.now() - started) / 1000).toFixed(0)}s] ${line}`),
  });
  const noted = rows.map((r) =>
    adapter && r.engine.startsWith('tfjs-webgpu') && !r.note.startsWith('skipped') ? { ...r, note: `${r.note}; adapter ${adapter.name} (${adapter.api})` } : r,
  );
  writeFilesAtomically(out, { [`${values.name}.csv`]: engineBenchCsv(noted) });
  console.log(
    textTable(
      ['model', 'engine', 'processes', 'cores', 'img/s', 'img/CPU-s', 'x PyTorch (same cores)', 'note'],
      noted.map((r) => [
        r.model,
        r.engine,
        String(r.processes),
        String(r.cores),
        r.imgPerSec?.toString() ?? '-',
        r.imgPerCpuSec?.toString() ?? '-',
        r.ratioToPytorch?.toString() ?? '-',
        r.note,
      ]),
    ),
  );
  console.log(`results: ${join(out, `${values.name}.csv`)} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

if (process.env.REPRO_BENCH_WORKER !== '1') {
  main().then(
    // Dawn's instance keeps the event loop alive: leave once the results are written.
    () => process.exit(0),
    (error) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(1);
    },
  );
}
