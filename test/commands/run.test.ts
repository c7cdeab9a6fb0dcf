// `repro run`: several papers, one summary, the worst status as exit code; unknown ids stop the run
// before any paper runs. In-process through @oclif/test's runCommand.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRepro } from './helpers.js';

const out = mkdtempSync(join(tmpdir(), 'repro-run-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('repro run', () => {
  it('an unknown paper exits 2 naming the known ones, before the first paper runs', async () => {
    const { code, stderr } = await runRepro(['run', 'condensation', 'nosuchpaper', '--profile', 'smoke', '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown paper 'nosuchpaper'");
    expect(stderr).toContain('bamsprod');
    expect(existsSync(join(out, 'condensation'))).toBe(false);
  });

  it('a bad --jobs exits 2 before any work', async () => {
    const { code } = await runRepro(['run', 'condensation', '--profile', 'smoke', '--jobs', '0', '--out', out]);
    expect(code).toBe(2);
    expect(existsSync(join(out, 'condensation'))).toBe(false);
  });

  it('runs the papers given and exits with the worst status (1: a check failed)', async () => {
    const { code, result } = await runRepro<{ status: string; papers: { paper: string; status: string; failedCells: number }[] }>([
      'run',
      'condensation',
      '--profile',
      'smoke',
      '--jobs',
      '1',
      '--out',
      out,
      '--json',
    ]);
    expect(code).toBe(1);
    expect(result?.status).toBe('fail');
    expect(result?.papers.map((p) => [p.paper, p.status, p.failedCells])).toEqual([['condensation', 'fail', 0]]);
    expect(existsSync(join(out, 'condensation', 'smoke', 'bandwidth.csv'))).toBe(true);
  });
});
