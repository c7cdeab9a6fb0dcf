import { join } from 'node:path';
import { Flags } from '@oclif/core';
import { BENCH_MODELS } from '../../bench/models.js';
import { engineBenchCsv, runEngineBench, type BenchModelName } from '../../bench/engine.js';
import { ReproCommand } from '../../cli/command.js';
import { InputError } from '../../core/errors.js';
import { DEFAULT_RESULTS_DIR, validateOutDir } from '../../core/paths.js';
import { writeFilesAtomically } from '../../harness/results.js';
import { textTable } from '../../harness/summary.js';

export default class BenchEngine extends ReproCommand {
  static override summary = 'Training throughput of the reference models on each tfjs backend and in PyTorch';
  static override description =
    'Trains the two reference models of docs/DESIGN.md "Engine facts" (4 convs at 32x32, batch 64; 8 convs at 112x112, batch 32) and reports the median ' +
    'images/s after warm-up: one process per backend, N independent processes at once, and PyTorch (python3-torch) with 1 and N threads. ' +
    'Writes <out>/bench/engine.csv. Takes minutes; run it on an otherwise idle machine.';
  static override examples = ['<%= config.bin %> bench engine', '<%= config.bin %> bench engine --models small --backends wasm --steps 3'];
  static override flags = {
    models: Flags.string({ description: 'comma-separated: small, large', default: 'small,large' }),
    backends: Flags.string({
      description: 'comma-separated tfjs backends (unavailable ones are reported as skipped); cpu is opt-in: pure JS, minutes per step',
      default: 'wasm,tensorflow,webgpu',
    }),
    processes: Flags.integer({ description: 'independent processes for the aggregate rows (default: one per core)', min: 1 }),
    warmup: Flags.integer({ description: 'untimed steps first', default: 2, min: 0 }),
    steps: Flags.integer({ description: 'timed steps (median reported)', default: 5, min: 1 }),
    python: Flags.string({ description: 'python with torch for the peer (default: python3 on PATH, then /usr/bin/python3)' }),
    out: Flags.directory({
      description: 'results root; the CSV goes to <out>/bench/engine.csv',
      default: DEFAULT_RESULTS_DIR,
      defaultHelp: async () => 'results',
    }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(BenchEngine);
    const models = flags.models.split(',').map((m) => m.trim());
    for (const m of models) {
      if (!(m in BENCH_MODELS)) throw new InputError(`unknown model '${m}' in --models: use ${Object.keys(BENCH_MODELS).join(', ')}`);
    }
    const out = validateOutDir(flags.out, '--out'); // before minutes of benchmarking
    const rows = await runEngineBench({
      models: models as BenchModelName[],
      backends: flags.backends.split(',').map((b) => b.trim()),
      processes: flags.processes,
      plan: { warmup: flags.warmup, steps: flags.steps },
      python: flags.python,
      log: (line) => {
        if (!this.jsonEnabled()) this.logToStderr(line);
      },
    });
    const dir = join(out, 'bench');
    writeFilesAtomically(dir, { 'engine.csv': engineBenchCsv(rows) });
    if (!this.jsonEnabled()) {
      this.log(
        textTable(
          ['model', 'engine', 'processes', 'cores', 'img/s', 'img/CPU-s', 'x PyTorch (same cores)', 'note'],
          rows.map((r) => [
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
      this.log(`results: ${join(dir, 'engine.csv')}`);
    }
    return { rows, csv: join(dir, 'engine.csv') };
  }
}
