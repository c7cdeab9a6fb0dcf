// repro cassod: the analytic cells measure what expected/cassod.json expects (the contract of every paper: contract.test.ts).
import { describe, expect, it } from 'vitest';
import { check } from '../../src/harness/checker.js';
import { loadExpected } from '../../src/harness/expected.js';
import type { Profile } from '../../src/core/types.js';
import { cassodPaper as cassod } from '../../src/papers/cassod.js';
import { runAnalyticCells, valueOf } from './helpers.js';

const runAll = (profile: Profile) => runAnalyticCells(cassod, profile);

describe('cassod paper module', () => {
  // Declarations, plans, datasets, --help and the smoke run's CSVs: test/papers/contract.test.ts.
  it('every expected cell of quick is measured by the analytic cells', async () => {
    const rows = await runAll('quick');
    const report = check('cassod', 'quick', rows, loadExpected('cassod'));
    const unmeasured = report.rows.filter((r) => r.note?.includes('not measured'));
    expect(unmeasured).toEqual([]);
  });

  it('reproduces 47 % and 2.78x, and only the cells the model cannot explain fail', async () => {
    const rows = await runAll('smoke');
    expect(valueOf(rows, 'weights', { scope: 'context-dilated' }, 'ratio_percent')).toBeCloseTo(((100 * 4) / 9) * (1 + 1 / 16), 12);
    expect(valueOf(rows, 'speedup', { filter: '3x3', rate: 2 }, 'speedup')).toBeCloseTo(25 / 9, 14);
    const report = check('cassod', 'smoke', rows, loadExpected('cassod'));
    expect(report.rows.filter((r) => r.status === 'fail').map((r) => `${r.table} ${JSON.stringify(r.key)} ${r.metric}`)).toEqual([]);
    expect(report.claims.every((c) => c.status === 'pass')).toBe(true);
  });

  it('notes mark the reconstruction', async () => {
    const rows = await runAll('smoke');
    expect(rows.find((r) => r.table === 'weights')!.note).toContain('[recon]');
  });
});
