// benchmarks/engine: training throughput of the two reference models (models.ts) on each tfjs
// backend, in one process and in N parallel processes (independent cells), against the same models in
// PyTorch (benchmarks/peers/engine_peer.py) on the same number of cores. Median images per second after
// warm-up. A benchmark, not a test: nothing here asserts a speed.
import { spawnSync, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { tf } from '../engine/tf.js';
import { selectBackend, type BackendChoice } from '../engine/backend.js';
import { BENCH_MODELS, benchBatch, buildBenchModel, trainStep } from './models.js';
import { PACKAGE_ROOT } from '../core/paths.js';

export type BenchModelName = keyof typeof BENCH_MODELS;

export interface StepPlan {
  warmup: number;
  steps: number;
}

export interface ThroughputRow {
  model: BenchModelName;
  /** 'tfjs-wasm', 'tfjs-cpu', 'tfjs-tensorflow', 'tfjs-webgpu' or 'pytorch'. */
  engine: string;
  /** Independent training processes running at the same time (tfjs), 1 for PyTorch. */
  processes: number;
  /** Cores in use: processes for tfjs (one thread each), threads for PyTorch. */
  cores: number;
  /** Median images/s per process × processes (aggregate), null when skipped. */
  imgPerSec: number | null;
  /**
   * Images per second of the process's own CPU time, for one-core rows (null otherwise): unlike imgPerSec it
   * hardly changes when other processes share the cores, so it is the fairer figure on a busy machine.
   */
  imgPerCpuSec: number | null;
  /** imgPerSec / PyTorch's imgPerSec on the same number of cores (null without a peer). */
  ratioToPytorch: number | null;
  note: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Trains `model` on the active backend: median images/s over `steps` timed steps, by wall and by CPU time. */
async function measureCurrentBackend(model: BenchModelName, plan: StepPlan, seed = 1): Promise<{ wall: number; cpu: number }> {
  const spec = BENCH_MODELS[model];
  const net = buildBenchModel(spec, seed);
  const batch = benchBatch(spec, seed + 1);
  const optimizer = tf.train.momentum(0.01, 0.9);
  for (let i = 0; i < plan.warmup; i++) await trainStep(net, optimizer, batch);
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (let i = 0; i < plan.steps; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await trainStep(net, optimizer, batch); // reads the loss back: the step is complete
    const c = process.cpuUsage(c0);
    rates.push((spec.batch * 1000) / (performance.now() - t0));
    cpuRates.push((spec.batch * 1e6) / (c.user + c.system));
  }
  optimizer.dispose();
  tf.dispose([...net.variables, batch.x, batch.y]);
  return { wall: median(rates), cpu: median(cpuRates) };
}

// ---- parallel processes ------------------------------------------------------------------------------
interface WorkerJob {
  model: BenchModelName;
  backend: string;
  plan: StepPlan;
  seed: number;
  /** Data-parallel training of one model: this worker's shard of the batch. */
  shard?: { rank: number; world: number };
}

// ---- one model on several cores: synchronous data-parallel SGD -------------------------------------------
// Every worker holds the same model (same seed) and computes the gradient of the mean loss on its 1/world
// of the batch; the parent averages the gradients (= the gradient of the whole batch's mean loss) and every
// worker applies the same update, so the replicas stay identical.
type DpMessage = { type: 'grads'; grads: Float32Array[] } | { type: 'applied' } | 'ready';

/** The child's messages as a queue: each call resolves with the next one (or rejects if the child exits). */
function messages(child: ReturnType<typeof fork>): () => Promise<DpMessage> {
  const queue: DpMessage[] = [];
  const waiting: { resolve: (m: DpMessage) => void; reject: (e: Error) => void }[] = [];
  let exited: Error | null = null;
  child.on('message', (m) => {
    const w = waiting.shift();
    if (w) w.resolve(m as DpMessage);
    else queue.push(m as DpMessage);
  });
  child.on('exit', (code, signal) => {
    exited = new Error(`data-parallel worker exited (${signal ?? code})`);
    for (const w of waiting.splice(0)) w.reject(exited);
  });
  return () =>
    new Promise<DpMessage>((resolve, reject) => {
      const m = queue.shift();
      if (m !== undefined) return resolve(m);
      if (exited) return reject(exited);
      waiting.push({ resolve, reject });
    });
}

/** Images/s of one model trained data-parallel by `world` processes (median over the timed steps). */
async function measureDataParallel(model: BenchModelName, backend: string, world: number, plan: StepPlan): Promise<number> {
  const script = fileURLToPath(import.meta.url);
  if (script.endsWith('.ts')) throw new Error('data-parallel benchmark processes need the compiled dist/ (npm run build)');
  const spec = BENCH_MODELS[model];
  if (spec.batch % world !== 0) throw new Error(`batch ${spec.batch} does not split into ${world} equal shards`);
  const children = Array.from({ length: world }, () =>
    fork(script, [], { env: { ...process.env, REPRO_BENCH_WORKER: '1' }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'advanced' }),
  );
  const next = children.map(messages);
  try {
    children.forEach((child, rank) => child.send({ model, backend, plan, seed: 1, shard: { rank, world } } satisfies WorkerJob));
    await Promise.all(next.map((n) => n()));
    const rates: number[] = [];
    for (let step = 0; step < plan.warmup + plan.steps; step++) {
      const t0 = performance.now();
      for (const child of children) child.send('step');
      const all = (await Promise.all(next.map((n) => n()))) as { type: 'grads'; grads: Float32Array[] }[];
      const mean = all[0].grads.map((g, v) => {
        const out = new Float32Array(g.length);
        for (const w of all) {
          const src = w.grads[v];
          for (let i = 0; i < out.length; i++) out[i] += src[i];
        }
        for (let i = 0; i < out.length; i++) out[i] /= world;
        return out;
      });
      for (const child of children) child.send({ type: 'apply', grads: mean });
      await Promise.all(next.map((n) => n()));
      if (step >= plan.warmup) rates.push((spec.batch * 1000) / (performance.now() - t0));
    }
    return median(rates);
  } finally {
    for (const child of children) if (child.connected) child.disconnect();
  }
}

async function dataParallelWorker(job: WorkerJob, shard: { rank: number; world: number }): Promise<void> {
  tf.env().set('PROD', true);
  await selectBackend(job.backend as BackendChoice);
  await tf.setBackend(job.backend);
  const full = BENCH_MODELS[job.model];
  const spec = { ...full, batch: full.batch / shard.world };
  const net = buildBenchModel(full, job.seed); // same seed on every rank: identical replicas
  const batch = benchBatch(spec, job.seed + 1 + shard.rank);
  const optimizer = tf.train.momentum(0.01, 0.9);
  const names = net.variables.map((v) => v.name);
  process.on('message', async (raw) => {
    const message = raw as 'step' | { type: 'apply'; grads: Float32Array[] };
    if (message === 'step') {
      const tensors = tf.tidy(() => {
        const { value, grads: g } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(batch.y, net.forward(batch.x)) as never, net.variables);
        value.dispose();
        return names.map((n) => g[n]);
      });
      const grads = await Promise.all(tensors.map((t) => t.data()));
      process.send!({ type: 'grads', grads });
      tf.dispose(tensors);
    } else {
      const tensors: Record<string, ReturnType<typeof tf.tensor>> = {};
      net.variables.forEach((v, i) => (tensors[v.name] = tf.tensor(message.grads[i], v.shape)));
      optimizer.applyGradients(tensors as never);
      tf.dispose(Object.values(tensors));
      process.send!({ type: 'applied' });
    }
  });
  process.send!('ready');
}

/** Runs `processes` copies at once (each one core); all warm up first, then time together. */
async function measureParallel(model: BenchModelName, backend: string, processes: number, plan: StepPlan): Promise<number[]> {
  const script = fileURLToPath(import.meta.url);
  if (script.endsWith('.ts')) throw new Error('parallel benchmark processes need the compiled dist/ (npm run build)');
  const children = Array.from({ length: processes }, () =>
    fork(script, [], { env: { ...process.env, REPRO_BENCH_WORKER: '1' }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }),
  );
  const ready = children.map(
    (child) =>
      new Promise<void>((resolve, reject) => {
        child.once('message', () => resolve());
        child.once('exit', (code, signal) => reject(new Error(`benchmark process exited (${signal ?? code}) during warm-up`)));
      }),
  );
  children.forEach((child, i) => child.send({ model, backend, plan, seed: 1 + i } satisfies WorkerJob));
  await Promise.all(ready);
  const results = children.map(
    (child) =>
      new Promise<number>((resolve, reject) => {
        child.once('message', (rate) => resolve(rate as number));
        child.once('exit', (code, signal) => reject(new Error(`benchmark process exited (${signal ?? code})`)));
      }),
  );
  for (const child of children) child.send('go');
  const rates = await Promise.all(results);
  for (const child of children) child.disconnect();
  return rates;
}

async function benchWorkerMain(): Promise<void> {
  process.once('message', (raw) => {
    const job = raw as WorkerJob;
    if (job.shard) {
      void dataParallelWorker(job, job.shard);
      return;
    }
    void (async () => {
      tf.env().set('PROD', true);
      await selectBackend(job.backend as BackendChoice);
      await tf.setBackend(job.backend);
      const spec = BENCH_MODELS[job.model];
      const net = buildBenchModel(spec, job.seed);
      const batch = benchBatch(spec, job.seed + 1);
      const optimizer = tf.train.momentum(0.01, 0.9);
      for (let i = 0; i < job.plan.warmup; i++) await trainStep(net, optimizer, batch);
      process.once('message', async () => {
        const rates: number[] = [];
        for (let i = 0; i < job.plan.steps; i++) {
          const t0 = performance.now();
          await trainStep(net, optimizer, batch);
          rates.push((spec.batch * 1000) / (performance.now() - t0));
        }
        process.send!(median(rates));
      });
      process.send!('ready');
    })();
  });
  process.on('disconnect', () => process.exit(0));
}

// ---- PyTorch peer ------------------------------------------------------------------------------------
const PEER_SCRIPT = join(PACKAGE_ROOT, 'benchmarks', 'peers', 'engine_peer.py');

export type PeerResult = { imgPerSec: number; imgPerCpuSec: number; version: string } | { skipped: string };

/** Pythons tried in turn when none is given: the one on PATH, then Debian's (python3-torch installs there). */
const DEFAULT_PYTHONS = ['python3', '/usr/bin/python3'];

/** Runs the PyTorch peer with `threads` threads; skipped with the reason when python3 or torch is missing. */
export function measurePytorch(model: BenchModelName, threads: number, plan: StepPlan, python?: string): PeerResult {
  if (python) return measurePytorchWith(python, model, threads, plan);
  let result: PeerResult = { skipped: 'no python3 found' };
  for (const candidate of DEFAULT_PYTHONS) {
    result = measurePytorchWith(candidate, model, threads, plan);
    if (!('skipped' in result)) return result;
  }
  return result;
}

function measurePytorchWith(python: string, model: BenchModelName, threads: number, plan: StepPlan): PeerResult {
  if (!existsSync(PEER_SCRIPT)) return { skipped: `peer script not found: ${PEER_SCRIPT}` };
  const args = [PEER_SCRIPT, '--model', model, '--threads', String(threads), '--warmup', String(plan.warmup), '--steps', String(plan.steps)];
  const run = spawnSync(python, args, { encoding: 'utf8', timeout: 30 * 60_000 });
  if (run.error) return { skipped: `${python} not runnable (${run.error.message})` };
  const last = run.stdout.trim().split('\n').pop() ?? '';
  if (run.status !== 0 || !last.startsWith('{')) {
    const why = (run.stderr || run.stdout).trim().split('\n').pop() ?? `exit ${run.status}`;
    return { skipped: /No module named 'torch'/.test(why) ? 'PyTorch not installed (apt-get install python3-torch)' : `peer failed: ${why}` };
  }
  const parsed = JSON.parse(last) as { img_per_s: number; img_per_cpu_s: number; torch: string };
  return { imgPerSec: parsed.img_per_s, imgPerCpuSec: parsed.img_per_cpu_s, version: parsed.torch };
}

// ---- the whole benchmark -----------------------------------------------------------------------------
export interface EngineBenchOptions {
  models: BenchModelName[];
  /** tfjs backends to try; one that does not initialise is reported as skipped. */
  backends: string[];
  /** Parallel processes for the aggregate rows (default: one per core); 1 disables them. */
  processes?: number;
  plan: StepPlan;
  /** Plan for the pure-JS cpu backend, 20–30x slower than wasm. */
  cpuPlan?: StepPlan;
  log?: (line: string) => void;
  python?: string;
}

/** Ratio of each tfjs row to the PyTorch row of the same model on the same number of cores. */
export function withRatios(rows: ThroughputRow[]): ThroughputRow[] {
  return rows.map((row) => {
    if (row.engine === 'pytorch' || row.imgPerSec === null) return row;
    const peer = rows.find((r) => r.engine === 'pytorch' && r.model === row.model && r.cores === row.cores && r.imgPerSec !== null);
    return { ...row, ratioToPytorch: peer ? Math.round((row.imgPerSec / peer.imgPerSec!) * 1000) / 1000 : null };
  });
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export async function runEngineBench(options: EngineBenchOptions): Promise<ThroughputRow[]> {
  const log = options.log ?? (() => {});
  const processes = options.processes ?? availableParallelism();
  const cpuPlan = options.cpuPlan ?? { warmup: 1, steps: 2 };
  const rows: ThroughputRow[] = [];
  for (const model of options.models) {
    const spec = BENCH_MODELS[model];
    const shape = `${spec.convs.length} convs, ${spec.inputSize}x${spec.inputSize}x3, batch ${spec.batch}`;
    for (const backend of options.backends) {
      const engine = `tfjs-${backend}`;
      try {
        await selectBackend(backend as BackendChoice);
        await tf.setBackend(backend);
      } catch (error) {
        rows.push({
          model,
          engine,
          processes: 1,
          cores: 1,
          imgPerSec: null,
          imgPerCpuSec: null,
          ratioToPytorch: null,
          note: `skipped: ${(error as Error).message}`,
        });
        continue;
      }
      const plan = backend === 'cpu' ? cpuPlan : options.plan;
      log(`${model}: ${engine}, 1 process, ${plan.warmup} warm-up + ${plan.steps} timed steps`);
      const one = await measureCurrentBackend(model, plan);
      rows.push({
        model,
        engine,
        processes: 1,
        cores: 1,
        imgPerSec: round1(one.wall),
        imgPerCpuSec: round1(one.cpu),
        ratioToPytorch: null,
        note: `${shape}; median of ${plan.steps} steps`,
      });
      if (processes > 1 && backend !== 'cpu') {
        log(`${model}: ${engine}, ${processes} processes at once`);
        const rates = await measureParallel(model, backend, processes, plan);
        const total = rates.reduce((a, b) => a + b, 0);
        rows.push({
          model,
          engine,
          processes,
          cores: processes,
          imgPerSec: round1(total),
          imgPerCpuSec: null,
          ratioToPytorch: null,
          note: `${shape}; ${processes} independent processes, sum of per-process medians (${rates.map(round1).join(' + ')})`,
        });
        log(`${model}: ${engine}, one model data-parallel over ${processes} processes`);
        try {
          const dp = await measureDataParallel(model, backend, processes, plan);
          rows.push({
            model,
            engine: `${engine}-data-parallel`,
            processes,
            cores: processes,
            imgPerSec: round1(dp),
            imgPerCpuSec: null,
            ratioToPytorch: null,
            note: `${shape}; one model, batch split over ${processes} processes, gradients averaged every step; median of ${plan.steps} steps`,
          });
        } catch (error) {
          rows.push({
            model,
            engine: `${engine}-data-parallel`,
            processes,
            cores: processes,
            imgPerSec: null,
            imgPerCpuSec: null,
            ratioToPytorch: null,
            note: `skipped: ${(error as Error).message}`,
          });
        }
      }
    }
    for (const threads of [...new Set([1, processes])]) {
      log(`${model}: pytorch, ${threads} thread(s)`);
      const peer = measurePytorch(model, threads, options.plan, options.python);
      rows.push(
        'skipped' in peer
          ? {
              model,
              engine: 'pytorch',
              processes: 1,
              cores: threads,
              imgPerSec: null,
              imgPerCpuSec: null,
              ratioToPytorch: null,
              note: `skipped: ${peer.skipped}`,
            }
          : {
              model,
              engine: 'pytorch',
              processes: 1,
              cores: threads,
              imgPerSec: round1(peer.imgPerSec),
              imgPerCpuSec: threads === 1 ? round1(peer.imgPerCpuSec) : null,
              ratioToPytorch: null,
              note: `${shape}; torch ${peer.version}, ${threads} thread(s), median of ${options.plan.steps} steps`,
            },
      );
    }
  }
  // Other processes on the same cores lower every wall-clock figure: say how busy the machine was.
  const load = `load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores at the end`;
  return withRatios(rows).map((row) => ({ ...row, note: row.note.startsWith('skipped') ? row.note : `${row.note}; ${load}` }));
}

export function engineBenchCsv(rows: ThroughputRow[]): string {
  return stringify(
    rows.map((r) => [r.model, r.engine, r.processes, r.cores, r.imgPerSec ?? '', r.imgPerCpuSec ?? '', r.ratioToPytorch ?? '', r.note]),
    { header: true, columns: ['model', 'engine', 'processes', 'cores', 'img_per_s', 'img_per_cpu_s', 'ratio_to_pytorch_same_cores', 'note'] },
  );
}

function isThisFileTheEntryPoint(): boolean {
  try {
    return (
      process.argv[1] !== undefined && pathToFileURL(realpathSync(process.argv[1])).href === pathToFileURL(realpathSync(fileURLToPath(import.meta.url))).href
    );
  } catch {
    return false;
  }
}

if (process.env.REPRO_BENCH_WORKER === '1' && process.send && isThisFileTheEntryPoint()) void benchWorkerMain();
