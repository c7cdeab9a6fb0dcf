import { getPaper } from '../../src/papers/index.js';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatasetMissingError, InputError } from '../../src/core/errors.js';
import { readMeasuredRows, writeFilesAtomically } from '../../src/harness/results.js';
import { runPaper } from '../../src/harness/runner.js';
import type { PaperModule } from '../../src/core/types.js';
import { bamsprodPaper as bamsprod } from '../../src/papers/bamsprod.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'repro-runner-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The bamsprod module with its cells replaced: the expected file and tables stay real. */
function fakePaper(runCell: PaperModule['runCell'], extra: Partial<PaperModule> = {}): PaperModule {
  return {
    ...bamsprod,
    plan: () => [
      { id: 'one', kind: 'test', params: {}, seed: 1 },
      { id: 'two', kind: 'test', params: {}, seed: 2 },
    ],
    runCell,
    ...extra,
  };
}

const options = (outRoot: string) => ({ profile: 'smoke' as const, seed: 1, backend: 'cpu' as const, outRoot, dataDir: outRoot });

describe('runner', () => {
  it('writes nothing when a cell stops the run with a user error', async () => {
    const out = tempDir();
    const paper = fakePaper(async (cell) => {
      if (cell.id === 'two') throw new InputError('bad input file');
      return [{ table: 'convex', key: { optimizer: 'sgd', setting: 'binary' }, metric: 'final_w', value: -1 }];
    });
    await expect(runPaper(paper, options(out))).rejects.toThrow('bad input file');
    expect(existsSync(join(out, 'bamsprod'))).toBe(false);
  });

  it('marks a crashed cell as failed and keeps the other cells', async () => {
    const out = tempDir();
    const paper = fakePaper(async (cell) => {
      if (cell.id === 'one') throw new Error('training loss is NaN at step 7');
      return [{ table: 'convex', key: { optimizer: 'sgd', setting: 'binary' }, metric: 'final_w', value: -1 }];
    });
    const { manifest, dir } = await runPaper(paper, options(out));
    expect(manifest.status).toBe('fail');
    expect(manifest.cells[0]).toMatchObject({ id: 'one', error: 'training loss is NaN at step 7' });
    expect(manifest.cells[1]!.error).toBeUndefined();
    // Each cell records the peak RSS of the process that ran it, the failed one too.
    for (const c of manifest.cells) expect(c.peakRssMiB).toBeGreaterThan(10);
    const rows = readMeasuredRows(dir, bamsprod.tables);
    expect(rows.find((r) => r.key.optimizer === 'sgd')!.value).toBe(-1);
    // The expected Adam cells were never measured: they are failed rows in the CSV.
    const csv = readFileSync(join(dir, 'convex.csv'), 'utf8');
    expect(csv).toMatch(/adam,binary,final_w,,1,±0.01,derived,fail,/);
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(run).toMatchObject({ paper: 'bamsprod', profile: 'smoke', seed: 1, backend: { name: 'cpu' } });
    expect(run.tfjs).toBe('4.22.0');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('exits 3 naming a missing dataset', async () => {
    const out = tempDir();
    const paper = fakePaper(async () => [], {
      datasets: (_profile, dataDir) => [{ name: 'cifar10', path: join(dataDir, 'nope'), howToObtain: 'download it' }],
    });
    const error = await runPaper(paper, options(out)).catch((e) => e);
    expect(error).toBeInstanceOf(DatasetMissingError);
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain('cifar10');
    expect(error.message).toContain(join(out, 'nope'));
  });
});

describe('repro bamsprod --profile paper', () => {
  it('exits 3 naming CIFAR-10 and where it goes when the data directory lacks it', async () => {
    const out = tempDir();
    const error = await runPaper(getPaper('bamsprod'), { ...options(out), profile: 'paper' }).catch((e) => e);
    expect(error).toBeInstanceOf(DatasetMissingError);
    expect(error.message).toContain(join(out, 'cifar-10-batches-bin'));
    expect(existsSync(join(out, 'bamsprod'))).toBe(false);
  });
});

describe('atomic writes', () => {
  it('leaves no file behind when one write fails', () => {
    const dir = tempDir();
    // A name with a slash into a missing folder cannot be written.
    expect(() => writeFilesAtomically(dir, { 'a.csv': 'x\n', 'missing/b.csv': 'y\n' })).toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('replaces files only when all are written', () => {
    const dir = tempDir();
    writeFilesAtomically(dir, { 'a.csv': 'one\n', 'run.json': '{}\n' });
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('one\n');
    expect(readdirSync(dir).sort()).toEqual(['a.csv', 'run.json']);
  });
});
