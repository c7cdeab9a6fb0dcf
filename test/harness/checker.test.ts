import { describe, expect, it } from 'vitest';
import { check, countStatuses, formatTolerance, overallStatus, shiftDecimalPoint, withinTolerance } from '../../src/harness/checker.js';
import { formatNumber } from '../../src/harness/results.js';
import type { ExpectedFile, MeasuredRow } from '../../src/core/types.js';

const expected: ExpectedFile = {
  paper: 'demo',
  title: 'Demo',
  source: 'test',
  tables: {
    t: {
      title: 'T',
      cells: [
        { key: { row: 'a' }, metric: 'acc', expected: 90, tolerance: { abs: 1 }, provenance: 'table:2', profiles: ['quick'] },
        { key: { row: 'b' }, metric: 'acc', expected: 50, tolerance: { rel: 0.1 }, provenance: 'abstract', profiles: ['quick'] },
        { key: { row: 'c' }, metric: 'acc', expected: 10, tolerance: { abs: 0 }, provenance: 'derived', profiles: ['quick'] },
        { key: { row: 'd' }, metric: 'acc', expected: 1, tolerance: { abs: 0 }, provenance: 'derived', profiles: ['paper'] },
        { key: { row: 'e' }, metric: 'acc', expected: null, provenance: 'unknown', profiles: ['quick'] },
      ],
    },
  },
  claims: [
    {
      id: 'a-over-b',
      description: '',
      provenance: 'abstract',
      profiles: ['quick'],
      left: { table: 't', key: { row: 'a' }, metric: 'acc' },
      op: '>',
      right: { table: 't', key: { row: 'b' }, metric: 'acc' },
    },
    {
      id: 'a-2x-b',
      description: '',
      provenance: 'abstract',
      profiles: ['quick'],
      left: { table: 't', key: { row: 'a' }, metric: 'acc' },
      op: '>=',
      right: { table: 't', key: { row: 'b' }, metric: 'acc' },
      scale: 2,
    },
    {
      id: 'a-plus',
      description: '',
      provenance: 'abstract',
      profiles: ['quick'],
      left: { table: 't', key: { row: 'a' }, metric: 'acc' },
      op: '>=',
      right: { table: 't', key: { row: 'b' }, metric: 'acc' },
      offset: 50,
    },
    { id: 'missing', description: '', provenance: 'abstract', profiles: ['quick'], left: { table: 't', key: { row: 'zz' }, metric: 'acc' }, op: '<', right: 5 },
    {
      id: 'paper-only',
      description: '',
      provenance: 'abstract',
      profiles: ['paper'],
      left: { table: 't', key: { row: 'a' }, metric: 'acc' },
      op: '<',
      right: 0,
    },
  ],
};

const rows: MeasuredRow[] = [
  { table: 't', key: { row: 'a' }, metric: 'acc', value: 89.2 },
  { table: 't', key: { row: 'b' }, metric: 'acc', value: 44 },
  { table: 't', key: { row: 'e' }, metric: 'acc', value: 3 },
  { table: 't', key: { row: 'x' }, metric: 'acc', value: 7, note: 'extra' },
];

describe('checker', () => {
  const report = check('demo', 'quick', rows, expected);
  const status = (row: string) => report.rows.find((r) => r.key.row === row)!;

  it('passes within an absolute tolerance and fails outside a relative one', () => {
    expect(status('a').status).toBe('pass');
    expect(status('a').tolerance).toBe('±1');
    expect(status('b').status).toBe('fail'); // 44 vs 50 ± 5
    expect(status('b').tolerance).toBe('±10%');
  });

  it('gives no-reference to unknown values and to rows the paper has no number for', () => {
    expect(status('e').status).toBe('no-reference');
    expect(status('e').provenance).toBe('unknown');
    expect(status('x').status).toBe('no-reference');
    expect(status('x').note).toBe('extra');
  });

  it('fails an expected cell of this profile that was not measured, and ignores other profiles', () => {
    expect(status('c').status).toBe('fail');
    expect(status('c').note).toContain('not measured');
    expect(report.rows.find((r) => r.key.row === 'd')).toBeUndefined();
  });

  it('evaluates claims with scale and offset, and fails a claim on an unmeasured cell', () => {
    const claim = (id: string) => report.claims.find((c) => c.id === id)!;
    expect(claim('a-over-b').status).toBe('pass');
    expect(claim('a-2x-b').status).toBe('pass'); // 89.2 >= 88
    expect(claim('a-2x-b').right).toBe(88);
    expect(claim('a-plus').status).toBe('fail'); // 89.2 < 44 + 50
    expect(claim('a-plus').right).toBe(94);
    expect(claim('missing').status).toBe('fail');
    expect(claim('missing').detail).toContain('no measured value for t[row=zz].acc');
    expect(report.claims.map((c) => c.id)).not.toContain('paper-only');
  });

  it('summarises: one failure fails the paper', () => {
    expect(countStatuses(report)).toEqual({ pass: 3, fail: 4, 'no-reference': 2 });
    expect(overallStatus(report)).toBe('fail');
    const clean = check(
      'demo',
      'quick',
      rows.filter((r) => r.key.row === 'e'),
      { ...expected, tables: { t: { title: 'T', cells: [expected.tables.t!.cells[4]!] } }, claims: [] },
    );
    expect(overallStatus(clean)).toBe('pass');
  });

  it('prints a tolerance as the expected file writes it, not as rel × 100 rounds', () => {
    expect(formatTolerance({ rel: 1e-9 })).toBe('±0.0000001%');
    expect(formatTolerance({ rel: 0.005 })).toBe('±0.5%');
    expect(formatTolerance({ rel: 0.001 })).toBe('±0.1%');
    expect(formatTolerance({ rel: 0.07 })).toBe('±7%');
    expect(formatTolerance({ rel: 1.5 })).toBe('±150%');
    expect(formatTolerance({ abs: 1e-6 })).toBe('±0.000001');
    expect(formatTolerance({ abs: 0 })).toBe('±0');
    expect(shiftDecimalPoint('2.5e-10', 2)).toBe('0.000000025');
    expect(shiftDecimalPoint('1e21', 2)).toBe('100000000000000000000000');
  });

  it('CSV numbers read back exactly: shortest round-trip text, integers in full', () => {
    for (const x of [15758256, 2.7777777777777777, 0.1 + 0.2, 1e-300, -1234567890123456, 5e-324, 1.7976931348623157e308, -0]) {
      expect(Object.is(Number(formatNumber(x)), x), String(x)).toBe(true);
    }
    expect(formatNumber(15758256)).toBe('15758256');
    expect([formatNumber(null), formatNumber(NaN), formatNumber(Infinity), formatNumber(-Infinity)]).toEqual(['', '', 'inf', '-inf']);
  });

  it('tolerance edges are inclusive', () => {
    expect(withinTolerance(91, 90, { abs: 1 })).toBe(true);
    expect(withinTolerance(91.01, 90, { abs: 1 })).toBe(false);
    expect(withinTolerance(45, 50, { rel: 0.1 })).toBe(true);
  });
});
