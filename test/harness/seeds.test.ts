import { describe, expect, it } from 'vitest';
import type { MeasuredRow } from '../../src/core/types.js';
import { sampleMeanSd, seedSummaryRows } from '../../src/harness/seeds.js';

describe('seedSummaryRows', () => {
  it('adds a mean and a sample sd per key without the seed, over finite values, saying how many of the planned seeds', () => {
    const rows: MeasuredRow[] = [
      { table: 't', key: { method: 'a', seed: 1 }, metric: 'acc', value: 80 },
      { table: 't', key: { method: 'b', seed: 1 }, metric: 'acc', value: 50 },
      { table: 't', key: { method: 'a', seed: 2 }, metric: 'acc', value: 84 },
      { table: 't', key: { method: 'b', seed: 2 }, metric: 'acc', value: null },
      { table: 't', key: { method: 'a', seed: 'mean' }, metric: 'acc', value: 1 }, // not a seed: left alone
      { table: 't', key: { method: 'a', seed: 1 }, metric: 'steps', value: 10 },
    ];
    const out = seedSummaryRows(rows, 3, (r) => r.metric === 'acc');
    expect(out.map((r) => [r.key.method, r.key.seed, r.value])).toEqual([
      ['a', 'mean', 82],
      ['a', 'sd', Math.sqrt(8)],
      ['b', 'mean', 50],
      ['b', 'sd', null],
    ]);
    expect(out[0]!.note).toBe('mean over 2 of 3 seeds');
    expect(out[2]!.note).toBe('mean over 1 of 3 seeds');
    expect(Object.keys(out[0]!.key)).toEqual(['method', 'seed']);
  });

  it('sampleMeanSd uses n - 1 and has no spread for one value', () => {
    expect(sampleMeanSd([1, 2, 3, 4])).toEqual({ mean: 2.5, sd: Math.sqrt(5 / 3) });
    expect(sampleMeanSd([7])).toEqual({ mean: 7, sd: null });
  });
});
