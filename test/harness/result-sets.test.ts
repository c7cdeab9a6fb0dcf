// Result sets are all-or-nothing: committed by one folder swap, listed with their sha256 in run.json,
// refused when a file does not match, and written by one run at a time (a lock per folder).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { PaperModule } from '../../src/core/types.js';
import { lockFileOf, lockResultsFolder } from '../../src/harness/lock.js';
import { commitResultSet, readMeasuredRows, readResultSet, recoverResultSet, verifyResultSet } from '../../src/harness/results.js';
import { runPaper } from '../../src/harness/runner.js';
import { getPaper } from '../../src/papers/index.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'repro-sets-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const bamsprod = getPaper('bamsprod');
/** bamsprod with one fast cell: its tables and expected file stay real. */
function fakePaper(
  runCell: PaperModule['runCell'] = async () => [{ table: 'convex', key: { optimizer: 'sgd', setting: 'binary' }, metric: 'final_w', value: -1 }],
): PaperModule {
  return { ...bamsprod, plan: () => [{ id: 'one', kind: 'test', params: {}, seed: 1 }], runCell };
}
const options = (outRoot: string) => ({ profile: 'smoke' as const, seed: 1, backend: 'cpu' as const, outRoot, dataDir: outRoot });

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('no error thrown');
}

describe('committing a result set', () => {
  it('swaps the whole folder in: files of an older set disappear, nothing temporary is left, .checkpoints is untouched', () => {
    const root = tempDir();
    const dir = join(root, 'p', 'smoke');
    mkdirSync(join(root, '.checkpoints', 'p', 'smoke', 'cell'), { recursive: true });
    writeFileSync(join(root, '.checkpoints', 'p', 'smoke', 'cell', 'checkpoint.ckpt'), 'state');
    commitResultSet(dir, { 'a.csv': 'old\n', 'gone.csv': 'old\n', 'run.json': '{}\n' });
    commitResultSet(dir, { 'a.csv': 'new\n', 'run.json': '{}\n' });
    expect(readdirSync(dir).sort()).toEqual(['a.csv', 'run.json']);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('new\n');
    expect(readdirSync(join(root, 'p'))).toEqual(['smoke']);
    expect(readFileSync(join(root, '.checkpoints', 'p', 'smoke', 'cell', 'checkpoint.ckpt'), 'utf8')).toBe('state');
  });

  it('after a crash between the two renames, the next run restores the complete old set before anything else', () => {
    const root = tempDir();
    const dir = join(root, 'p', 'smoke');
    mkdirSync(`${dir}.old-4194305-0a1b2c3d`, { recursive: true });
    writeFileSync(join(`${dir}.old-4194305-0a1b2c3d`, 'a.csv'), 'old\n');
    mkdirSync(`${dir}.tmp-4194305-0a1b2c3d`);
    writeFileSync(join(`${dir}.tmp-4194305-0a1b2c3d`, 'a.csv'), 'half\n');
    expect(errorOf(() => verifyResultSet(dir, 'p', 'smoke')).message).toContain('holds a set an interrupted run was replacing');
    expect(recoverResultSet(dir)).toHaveLength(2);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('old\n');
    expect(readdirSync(join(root, 'p'))).toEqual(['smoke']);
  });
});

describe('reading a result set back', () => {
  it('run.json lists the sha256 of every file; a changed, extra, missing or foreign file is refused naming it', async () => {
    const out = tempDir();
    const { dir, manifest } = await runPaper(fakePaper(), options(out));
    expect(Object.keys(manifest.files!).sort()).toEqual(['convex.csv']);
    expect(readResultSet(dir, 'bamsprod', 'smoke', bamsprod.tables).verified).toBe(true);
    const csv = join(dir, 'convex.csv');
    const original = readFileSync(csv, 'utf8');

    writeFileSync(csv, original.replace('sgd,binary,final_w,-1,', 'sgd,binary,final_w,-0.5,'));
    expect(errorOf(() => verifyResultSet(dir, 'bamsprod', 'smoke')).message).toContain(`${csv}: its content does not match the sha256`);
    writeFileSync(csv, original);

    writeFileSync(join(dir, 'bnn.csv'), 'from another run\n');
    expect(errorOf(() => verifyResultSet(dir, 'bamsprod', 'smoke')).message).toContain(`${join(dir, 'bnn.csv')}: not part of the result set`);
    rmSync(join(dir, 'bnn.csv'));

    rmSync(csv);
    expect(errorOf(() => verifyResultSet(dir, 'bamsprod', 'smoke')).message).toContain(`${csv}: missing, but`);
    writeFileSync(csv, original);

    expect(errorOf(() => verifyResultSet(dir, 'cassod', 'smoke')).message).toContain('describes bamsprod at smoke');
    const run = join(dir, 'run.json');
    writeFileSync(run, readFileSync(run, 'utf8').slice(0, 100));
    expect(errorOf(() => verifyResultSet(dir, 'bamsprod', 'smoke')).message).toMatch(new RegExp(`^${run}: not valid JSON .*cut or damaged`));
  });

  it('a damaged CSV is refused naming the file: empty, cut mid-row, rows duplicated, columns missing, not a number', async () => {
    const out = tempDir();
    const { dir } = await runPaper(fakePaper(), options(out));
    const file = join(dir, 'convex.csv');
    const good = readFileSync(file, 'utf8');
    const lines = good.trimEnd().split('\n');
    const cases: [string, string, RegExp][] = [
      ['empty', '', /convex\.csv: empty file \(0 bytes\)/],
      ['cut mid-row', good.slice(0, good.length - 20), /convex\.csv: the last row has no line end/],
      ['rows duplicated', `${lines.join('\n')}\n${lines.slice(1).join('\n')}\n`, /convex\.csv:\d+: repeats the row of line 2/],
      ['missing column', `${lines[0]!.replace(',note', '')}\nsgd,binary,final_w,-1,,,,no-reference\n`, /convex\.csv:1: header .* \(missing column 'note'\)/],
      ['cut inside a quoted note', `${lines[0]}\nsgd,binary,final_w,-1,,,,no-reference,"cut here\n`, /convex\.csv: not a readable CSV/],
      ['not a number', good.replace('sgd,binary,final_w,-1,', 'sgd,binary,final_w,minus one,'), /convex\.csv:\d+: value 'minus one' is not a number/],
      [
        'beyond a double',
        good.replace('sgd,binary,final_w,-1,', 'sgd,binary,final_w,1e999,'),
        /convex\.csv:\d+: value '1e999' is beyond the range of a double/,
      ],
    ];
    for (const [name, text, message] of cases) {
      writeFileSync(file, text);
      expect(errorOf(() => readMeasuredRows(dir, bamsprod.tables)).message, name).toMatch(message);
    }
  });
});

describe('one run at a time per results folder', () => {
  it('a second run into the same folder fails at once, naming the process that holds it, and computes nothing', async () => {
    const out = tempDir();
    const dir = join(out, 'bamsprod', 'smoke');
    const held = lockResultsFolder(dir, () => {}, 'repro bamsprod --profile smoke');
    let ran = false;
    const error = await runPaper(
      fakePaper(async () => ((ran = true), [])),
      options(out),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(
      `${dir} is in use by process ${process.pid} on ${hostname()}, started ${held.owner.startedAt} (repro bamsprod --profile smoke)`,
    );
    expect(ran).toBe(false);
    held.release();
    expect(existsSync(lockFileOf(dir))).toBe(false);
    await runPaper(fakePaper(), options(out));
    expect(existsSync(lockFileOf(dir))).toBe(false); // released at the end
  });

  it("a dead process's lock is taken over with a warning; a failed run releases its lock", async () => {
    const out = tempDir();
    const dir = join(out, 'bamsprod', 'smoke');
    mkdirSync(join(out, 'bamsprod'), { recursive: true });
    const dead = { pid: 4194305, host: hostname(), startedAt: '2020-01-01T00:00:00.000Z', command: 'repro bamsprod', token: 'x' };
    writeFileSync(lockFileOf(dir), JSON.stringify(dead));
    const warnings: string[] = [];
    const progress = { start() {}, tick() {}, stop() {}, log: (m: string) => void warnings.push(m) };
    await runPaper(fakePaper(), { ...options(out), progress });
    expect(warnings.join('\n')).toContain('taking over the lock of process 4194305');
    expect(existsSync(lockFileOf(dir))).toBe(false);

    await expect(
      runPaper(
        fakePaper(async () => {
          throw new InputError('bad file');
        }),
        options(out),
      ),
    ).rejects.toThrow('bad file');
    expect(existsSync(lockFileOf(dir))).toBe(false);
    expect(readResultSet(dir, 'bamsprod', 'smoke', bamsprod.tables).verified).toBe(true); // the earlier set is intact
  });

  it('another host holding the lock cannot be checked, so it is never taken over', () => {
    const out = tempDir();
    const dir = join(out, 'p', 'smoke');
    mkdirSync(join(out, 'p'));
    writeFileSync(lockFileOf(dir), JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: '2020-01-01T00:00:00.000Z', command: 'repro p', token: 'y' }));
    expect(errorOf(() => lockResultsFolder(dir, () => {})).message).toContain(`if that process is gone, delete ${lockFileOf(dir)}`);
  });
});
