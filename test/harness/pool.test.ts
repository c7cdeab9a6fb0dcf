// The worker pool: same rows in plan order whatever the number of workers; failures stay in their cell;
// a killed worker is reported with its cell and signal and the run finishes; bad input stops the run.
import { discardFiles } from '../../src/harness/cell-files.js';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runCellsInPool, defaultJobs, type PoolOptions } from '../../src/harness/pool.js';
import { InputError } from '../../src/core/errors.js';
import { fakePaper } from './fixtures/pool-papers.js';
import { selectBackend } from '../../src/engine/backend.js';
import { tf } from '../../src/engine/tf.js';
import type { CellPlan, MeasuredRow } from '../../src/core/types.js';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
// Workers run the TypeScript sources through a test-only loader (from dist/ they need none).
const execArgv = ['--import', fixture('register-ts.mjs').href];

function options(cells: CellPlan[], jobs: number): PoolOptions {
  return {
    paperId: 'fake',
    cells,
    jobs,
    backend: 'wasm',
    profile: 'smoke',
    dataDir: '/nonexistent',
    registryUrl: fixture('pool-papers.ts').href,
    execArgv,
    workerScript: fileURLToPath(new URL('../../src/harness/pool.ts', import.meta.url)),
  };
}

const cells = (modes: string[]): CellPlan[] =>
  modes.map((mode, i) => ({ id: `c${i}-${mode}`, kind: 'fake', params: { mode, delayMs: (modes.length - i) * 20 }, seed: 1000 + i }));

describe('worker pool', () => {
  it('defaults to one worker per core', () => {
    expect(defaultJobs()).toBeGreaterThanOrEqual(1);
  });

  it('returns the same rows in plan order with 1 and 2 workers, equal to running in-process', async () => {
    const plan = cells(['ok', 'ok', 'ok', 'ok', 'ok']);
    const one = await runCellsInPool(options(plan, 1));
    const two = await runCellsInPool(options(plan, 2));
    const rows = (outcomes: { rows: MeasuredRow[] }[]) => outcomes.flatMap((o) => o.rows);
    expect(one.map((o) => o.cell.id)).toEqual(plan.map((c) => c.id));
    expect(two.map((o) => o.cell.id)).toEqual(plan.map((c) => c.id));
    expect(rows(two)).toEqual(rows(one));
    expect(Number.isNaN(rows(one)[1].value)).toBe(true); // NaN survives the IPC channel
    expect(two[3].files).toEqual({ 'c3-ok.bin': new Uint8Array([1003 % 256, 0, 255]) }); // and so do a cell's bytes
    // In-process on the same backend gives the very same numbers.
    await selectBackend('wasm');
    await tf.setBackend('wasm');
    const local: MeasuredRow[] = [];
    for (const cell of plan)
      local.push(...(await fakePaper.runCell(cell, { profile: 'smoke', backend: 'wasm', dataDir: '', progress: undefined as never, files: discardFiles })));
    expect(rows(one)).toEqual(local);
    expect(rows(one)[0].note).toBe('backend wasm pid-free');
  }, 120_000);

  it("forwards a cell's progress to the parent: each task's first and last step, the steps between throttled", async () => {
    const logs: string[] = [];
    const progress = { start() {}, tick() {}, stop() {}, log: (m: string) => logs.push(m) };
    const [outcome] = await runCellsInPool({ ...options(cells(['progress']), 1), progress });
    expect(outcome!.error).toBeUndefined();
    const lines = logs.filter((l) => l.startsWith('fake: c0-progress: steps'));
    // The three ticks come within the worker's 250 ms: only the last one is sent.
    expect(lines).toEqual(['fake: c0-progress: steps 0/3', 'fake: c0-progress: steps 3/3 loss 0.3']);
  }, 60_000);

  it('reports a thrown error, a NaN loss and a killed worker in their own cells, and finishes the others', async () => {
    const plan = cells(['ok', 'throw', 'crash', 'nan', 'ok', 'ok']);
    const outcomes = await runCellsInPool(options(plan, 2));
    expect(outcomes.map((o) => o.error ?? 'ok')).toEqual([
      'ok',
      'cell c1-throw is broken on purpose',
      'worker process crashed (signal SIGKILL) while running cell c2-crash',
      'c3-nan: loss is NaN at step 4; training diverged (lower the learning rate or check the inputs)',
      'ok',
      'ok',
    ]);
    expect(outcomes[4].rows).toHaveLength(2);
    expect(outcomes.map((o) => (o.peakRssMiB ?? 0) > 10)).toEqual([true, true, false, true, true, true]); // a crashed worker reports none
    expect(outcomes.map((o) => Object.keys(o.files).length)).toEqual([1, 0, 0, 0, 1, 1]);
    expect(outcomes[5].rows).toHaveLength(2);
  }, 120_000);

  it('stops the run with the InputError of a cell with bad input', async () => {
    await expect(runCellsInPool(options(cells(['ok', 'bad-input', 'ok']), 1))).rejects.toThrow(InputError);
  }, 120_000);

  it('returns at once for an empty plan', async () => {
    expect(await runCellsInPool(options([], 2))).toEqual([]);
  });

  it('refuses to fork TypeScript without a loader, with a message saying what to do', async () => {
    const noLoader = { ...options(cells(['ok']), 1), execArgv: undefined };
    await expect(runCellsInPool(noLoader)).rejects.toThrow(/npm run build/);
  });
});
