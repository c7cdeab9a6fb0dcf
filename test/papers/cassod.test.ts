// repro cassod: the paper module runs every cell, its plan covers every profile, and its rows meet expected/cassod.json.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/harness/checker.js';
import { loadExpected } from '../../src/harness/expected.js';
import { PROFILES, type Profile } from '../../src/core/types.js';
import { cassod } from '../../src/papers/cassod.js';
import { runAnalyticCells, valueOf } from './helpers.js';

const runAll = (profile: Profile) => runAnalyticCells(cassod, profile);

describe('cassod paper module', () => {
  it('plans cells for every profile and needs no dataset', () => {
    for (const profile of PROFILES) {
      expect(cassod.plan(profile, 1).length).toBeGreaterThan(0);
      expect(cassod.datasets(profile, '/nonexistent')).toEqual([]);
    }
  });

  it('every row belongs to a declared table and every expected cell is measured', async () => {
    const rows = await runAll('quick');
    const tables = new Set(cassod.tables.map((t) => t.id));
    for (const r of rows) expect(tables.has(r.table), r.table).toBe(true);
    const report = check('cassod', 'quick', rows, loadExpected('cassod'));
    const unmeasured = report.rows.filter((r) => r.note?.includes('not measured'));
    expect(unmeasured).toEqual([]);
  });

  it('reproduces 47 % and 2.78x, and only the cells the model cannot explain fail', async () => {
    const rows = await runAll('smoke');
    expect(valueOf(rows, 'weights', { scope: 'context-dilated' }, 'ratio_percent')).toBeCloseTo((100 * 4 / 9) * (1 + 1 / 16), 12);
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
