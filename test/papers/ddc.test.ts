// repro ddc: the analytic cells measure what expected/ddc.json expects (the contract of every paper: contract.test.ts).
import { describe, expect, it } from 'vitest';
import { check } from '../../src/harness/checker.js';
import { loadExpected } from '../../src/harness/expected.js';
import type { Profile } from '../../src/core/types.js';
import { ddcPaper as ddc } from '../../src/papers/ddc.js';
import { runAnalyticCells, valueOf } from './helpers.js';

const runAll = (profile: Profile) => runAnalyticCells(ddc, profile);

describe('ddc paper module', () => {
  // Declarations, plans, datasets, --help and the smoke run's CSVs: test/papers/contract.test.ts.
  it('every expected cell of quick is measured by the analytic cells', async () => {
    const rows = await runAll('quick');
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
