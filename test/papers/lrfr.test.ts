// repro lrfr: plans, datasets and what the smoke cells measure (the contract of every paper, smoke run
// and exit 3 included: contract.test.ts).
import { describe, expect, it } from 'vitest';
import type { CellPlan } from '../../src/core/types.js';
import { loadExpected } from '../../src/harness/expected.js';
import { LRFR_RESOLUTIONS, lrfrPaper as lrfr, type LrfrVariantName } from '../../src/papers/lrfr.js';
import { runSmokeCells } from './helpers.js';

/** The field of a quick cell's params read here (src/papers/lrfr.ts VariantCellParams is not exported). */
const variantOf = (cell: CellPlan) => (cell.params as { variant: LrfrVariantName }).variant;

describe('lrfr paper module', () => {
  it('quick plans the five training variants with one network seed', () => {
    const cells = lrfr.plan('quick', 1);
    expect(cells.map(variantOf)).toEqual(['none', 'hard-only', 'mra', 'mra+logexp', 'mra+l2']);
    expect(new Set(cells.map((c) => c.seed)).size).toBe(1);
  });

  it('every quick claim refers to a planned variant and resolution', () => {
    const variants = new Set<string>(lrfr.plan('quick', 1).map(variantOf));
    for (const claim of loadExpected('lrfr').claims) {
      for (const ref of [claim.left, claim.right]) {
        if (typeof ref === 'number') continue;
        expect(variants.has(ref.key.variant as string)).toBe(true);
        expect(LRFR_RESOLUTIONS).toContain(ref.key.r);
      }
    }
  });

  it('paper profile needs CASIA-WebFace, SCface, XQLFW and TinyFace', () => {
    expect(lrfr.datasets('paper', '/data').map((d) => d.name)).toEqual(['casia-webface', 'scface', 'xqlfw', 'tinyface']);
  });

  it('smoke measures every resolution for both variants', async () => {
    const acc = (await runSmokeCells(lrfr, 3)).filter((r) => r.metric === 'accuracy');
    expect(acc).toHaveLength(2 * LRFR_RESOLUTIONS.length);
    for (const r of acc) {
      expect(r.value).toBeGreaterThanOrEqual(0);
      expect(r.value).toBeLessThanOrEqual(100);
    }
    const logexp = acc.find((r) => r.key.variant === 'mra+logexp')!;
    expect(logexp.note).toContain('[recon]');
    expect(logexp.note).toContain('log-cosh');
  });
});
