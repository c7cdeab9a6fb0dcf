// The end of a run: failures first with what a reviewer needs, no-reference cells counted, not listed.
import { describe, expect, it } from 'vitest';
import { reportText } from '../../src/harness/summary.js';
import type { CheckReport } from '../../src/core/types.js';

const report: CheckReport = {
  paper: 'mda',
  profile: 'quick',
  rows: [
    { table: 'noise', key: { rate: 0.2 }, metric: 'accuracy', value: 91.5, expected: 92, tolerance: '±1', provenance: 'table:2', status: 'pass' },
    { table: 'noise', key: { rate: 0.4 }, metric: 'accuracy', value: 80.25, expected: 88, tolerance: '±1', provenance: 'table:2', status: 'fail' },
    { table: 'noise', key: { rate: 0.6 }, metric: 'loss', value: 0.5, expected: null, tolerance: '', provenance: '', status: 'no-reference' },
  ],
  claims: [
    { id: 'mda-beats-ce', description: '', provenance: 'abstract', status: 'fail', left: 1, right: 2, detail: '1 > 2' },
    { id: 'mda-stable', description: '', provenance: 'abstract', status: 'pass', left: 3, right: 2, detail: '3 > 2' },
  ],
};

describe('reportText', () => {
  it('lists failed cells and claims first, with measured, expected, tolerance and provenance', () => {
    const text = reportText(report);
    expect(text.indexOf('FAILED cells of mda (quick) (1)')).toBe(0);
    expect(text).toMatch(/noise\s+0\.4\s+accuracy\s+80\.25\s+88\s+±1\s+table:2\s+fail/);
    expect(text.indexOf('FAILED claims of mda (quick) (1)')).toBeLessThan(text.search(/noise\s+0\.2\s/));
    expect(text).toMatch(/mda-beats-ce\s+abstract\s+1 > 2/);
    expect(text.split('\n').at(-1)).toBe('mda (quick): cells 1 pass, 1 fail, 1 no-reference (not listed; --verbose lists them); claims 1 pass, 1 fail');
  });

  it('counts no-reference cells without listing them, unless verbose', () => {
    expect(reportText(report)).not.toContain('loss');
    expect(reportText(report, { verbose: true })).toMatch(/noise\s+0\.6\s+loss\s+0\.5\s+no-reference/);
  });
});
