// `repro list`: every registered paper with its tables, expected cells by provenance and the status of
// its last run. In-process through @oclif/test's runCommand.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPaper } from '../../src/harness/runner.js';
import { getPaper, PAPERS } from '../../src/papers/index.js';
import { runRepro } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'repro-list-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Listed {
  id: string;
  tables: string[];
  expectedCells: Record<string, number>;
  claims: number;
  lastStatus: { status: string; verified: boolean } | null;
}

describe('repro list', () => {
  it('--json lists every registered paper with its tables and expected cells; never run in an empty results root', async () => {
    const { code, stdout } = await runRepro(['list', '--json', '--out', root]);
    expect(code).toBe(0);
    const papers = JSON.parse(stdout).papers as Listed[];
    expect(papers.map((p) => p.id)).toEqual(PAPERS.map((p) => p.id));
    const bamsprod = papers.find((p) => p.id === 'bamsprod')!;
    expect(bamsprod.tables).toEqual(['convex', 'bnn']);
    expect(bamsprod.expectedCells.derived).toBeGreaterThan(0);
    expect(papers.every((p) => p.lastStatus === null)).toBe(true);
  });

  it('shows the status of the last run of the profile', async () => {
    await runPaper(getPaper('condensation'), { profile: 'smoke', seed: 1, backend: 'wasm', outRoot: root, dataDir: root, jobs: 1 });
    const { code, stdout } = await runRepro(['list', '--profile', 'smoke', '--json', '--out', root]);
    expect(code).toBe(0);
    const condensation = (JSON.parse(stdout).papers as Listed[]).find((p) => p.id === 'condensation')!;
    // Condensation honestly misses three of the abstract's numbers (test/papers/condensation.test.ts).
    expect(condensation.lastStatus).toMatchObject({ status: 'fail', verified: true });
    const text = await runRepro(['list', '--profile', 'smoke', '--out', root]);
    expect(text.stdout).toMatch(/^condensation\s.*\sfail \d{4}-\d\d-\d\d/m);
    expect(text.stdout).toMatch(/^bamsprod\s.*never run/m);
  });

  it('an --out that is a file exits 2', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    expect((await runRepro(['list', '--out', file])).code).toBe(2);
  });
});
