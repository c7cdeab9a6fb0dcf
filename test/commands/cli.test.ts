// The CLI as a user runs it: the one spawned end-to-end run of the built `bin/run.js` (dist/, with the
// worker pool forking dist/harness/pool.js), compared with the same paper run in-process from the
// sources with one job. Flags, help and exit codes of each command: the other files of this folder.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repro, runRepro } from './helpers.js';

const out = mkdtempSync(join(tmpdir(), 'repro-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('repro CLI', () => {
  it('--help lists the commands', async () => {
    const { code, stdout } = await runRepro(['--help']);
    expect(code).toBe(0);
    for (const command of ['bamsprod', 'cassod', 'run', 'list', 'check', 'hw', 'data', 'autocomplete']) expect(stdout).toContain(command);
  });

  it('a mistyped command exits 127 naming it (oclif not-found plugin; it offers the closest command on a terminal)', async () => {
    const { code, stderr } = await runRepro(['acq']);
    expect(code).toBe(127);
    expect(stderr).toContain('acq is not a repro command');
    expect(stderr).toContain('repro help');
  });

  it('autocomplete prints the bash completion hook (oclif autocomplete plugin)', async () => {
    const { code, stdout } = await runRepro(['autocomplete', 'script', 'bash']);
    expect(code).toBe(0);
    expect(stdout).toContain('REPRO_AC_BASH_SETUP_PATH');
  });

  it('bin/run.js run bamsprod --profile smoke --jobs 2 runs end to end; in-process with --jobs 1 writes the same CSVs', async () => {
    const spawned = repro(['run', 'bamsprod', '--profile', 'smoke', '--backend', 'wasm', '--jobs', '2', '--out', join(out, 'a'), '--json']);
    expect(spawned.code, spawned.stderr).toBe(0);
    const summary = JSON.parse(spawned.stdout);
    expect(summary.papers.map((p: { paper: string; status: string; failedCells: number }) => [p.paper, p.status, p.failedCells])).toEqual([
      ['bamsprod', 'pass', 0],
    ]);
    const dir = join(out, 'a', 'bamsprod', 'smoke');
    const convex = readFileSync(join(dir, 'convex.csv'), 'utf8');
    const bnn = readFileSync(join(dir, 'bnn.csv'), 'utf8');
    expect(convex.split('\n')[0]).toBe('optimizer,setting,metric,value,expected,tolerance,provenance,status,note');
    expect(convex).toMatch(/^adam,binary,final_w,0\.99\d+,1,±0\.01,derived,pass,/m);
    expect(bnn).toMatch(/^bop,test_accuracy,\d/m);
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(run.backend.name).toBe('wasm');
    expect(run.cells.map((c: { id: string }) => c.id)).toContain('bnn-bamsprod');

    const local = await runRepro(['bamsprod', '--profile', 'smoke', '--backend', 'wasm', '--jobs', '1', '--out', join(out, 'b'), '--json']);
    expect(local.code, local.stderr).toBe(0);
    const again = join(out, 'b', 'bamsprod', 'smoke');
    expect(readFileSync(join(again, 'convex.csv'), 'utf8')).toBe(convex);
    expect(readFileSync(join(again, 'bnn.csv'), 'utf8')).toBe(bnn);
  });
});
