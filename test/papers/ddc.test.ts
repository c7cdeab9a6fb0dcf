// repro ddc: the paper module runs every cell, its plan covers every profile, and its rows meet expected/ddc.json.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/harness/checker.js';
import { loadExpected } from '../../src/harness/expected.js';
import { PROFILES, type Profile } from '../../src/core/types.js';
import { ddc } from '../../src/papers/ddc.js';
import { runAnalyticCells, valueOf } from './helpers.js';

const runAll = (profile: Profile) => runAnalyticCells(ddc, profile);

describe('ddc paper module', () => {
  it('plans cells for every profile and needs no dataset', () => {
    for (const profile of PROFILES) {
      expect(ddc.plan(profile, 1).length).toBeGreaterThan(0);
      expect(ddc.datasets(profile, '/nonexistent')).toEqual([]);
    }
  });

  it('every row belongs to a declared table and every expected cell is measured', async () => {
    const rows = await runAll('quick');
    const tables = new Set(ddc.tables.map((t) => t.id));
    for (const r of rows) expect(tables.has(r.table), r.table).toBe(true);
    const report = check('ddc', 'quick', rows, loadExpected('ddc'));
    const unmeasured = report.rows.filter((r) => r.note?.includes('not measured'));
    expect(unmeasured).toEqual([]);
  });

  it('size -20.8 % passes against -20 %; compute -24.9 % fails against -30 % and says what was tried', async () => {
    const rows = await runAll('smoke');
    const report = check('ddc', 'smoke', rows, loadExpected('ddc'));
    const failed = report.rows.filter((r) => r.status === 'fail');
    expect(failed.map((r) => `${r.key.variant} ${r.metric}`)).toEqual(['ddc macs_reduction_percent']);
    expect(failed[0]!.value).toBeCloseTo(24.94, 2);
    expect(failed[0]!.note).toContain('tried');
    expect(valueOf(rows, 'cost', { variant: 'ddc' }, 'weights_reduction_percent')).toBeCloseTo(20.82, 2);
  });
});
