// `repro <paper>` flags and exit codes (the command every paper module gets from paperCommand,
// src/cli/command.ts), on bamsprod, in-process through @oclif/test's runCommand.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonError } from '../../src/cli/command.js';
import { bamsprodPaper } from '../../src/papers/bamsprod.js';
import { runRepro } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'repro-paper-command-'));
const emptyData = join(dir, 'empty-data');
mkdirSync(emptyData);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Flags that the run checks before any work: it never gets to a result folder. */
const quick = (...args: string[]) => runRepro(['bamsprod', '--out', join(dir, 'out'), ...args]);

describe('repro bamsprod: flags', () => {
  it('a --profile outside smoke, quick, paper exits 2 naming the choices', async () => {
    const { code, stderr } = await quick('--profile', 'fast');
    expect(code).toBe(2);
    expect(stderr).toContain('Expected --profile=fast to be one of: smoke, quick, paper');
  });

  it.each([['--seed', 'abc'], ['--seed', '-1'], ['--jobs', '0'], ['--jobs', '257'], ['--backend', 'gpu'], ['--no-such-flag']])(
    '%s %s exits 2',
    async (...args: string[]) => {
      const { code, stderr } = await quick('--profile', 'smoke', ...args);
      expect(code).toBe(2);
      expect(stderr).toMatch(/\S/);
    },
  );

  it('an --out that is a file exits 2 naming the flag', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const { code, stderr } = await runRepro(['bamsprod', '--profile', 'smoke', '--out', file]);
    expect(code).toBe(2);
    expect(stderr).toContain('--out');
  });

  it('with --json, a bad flag is a JSON error with its code and exit code', async () => {
    const { code, stdout } = await quick('--profile', 'fast', '--json');
    expect(code).toBe(2);
    const { error } = JSON.parse(stdout) as JsonError;
    expect(error).toMatchObject({ code: 'bad_usage', exit: 2 });
    expect(error.message).toContain('--profile=fast');
  });

  it('--profile paper without CIFAR-10 exits 3, with --json as a dataset_missing error', async () => {
    const text = await quick('--profile', 'paper', '--data-dir', emptyData);
    expect(text.code).toBe(3);
    const [cifar] = bamsprodPaper.datasets('paper', emptyData);
    expect(cifar!.path).toBe(join(emptyData, 'cifar-10-batches-bin'));
    expect(text.stderr).toContain(`${cifar!.name}: expected at ${cifar!.path}`);
    const json = await quick('--profile', 'paper', '--data-dir', emptyData, '--json');
    expect(json.code).toBe(3);
    expect((JSON.parse(json.stdout) as JsonError).error).toMatchObject({ code: 'dataset_missing', exit: 3 });
  });
});
