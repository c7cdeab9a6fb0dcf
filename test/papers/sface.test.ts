// repro sface: plans, datasets and what the smoke cells measure (the contract of every paper, smoke run
// and exit 3 included: contract.test.ts).
import { describe, expect, it } from 'vitest';
import type { CellPlan } from '../../src/core/types.js';
import type { HeadKind } from '../../src/methods/heads/index.js';
import { loadExpected } from '../../src/harness/expected.js';
import { sfacePaper as sface } from '../../src/papers/sface.js';
import { runSmokeCells } from './helpers.js';

/** The fields of a noise cell's params read here (src/papers/sface.ts NoiseCellParams is not exported). */
const paramsOf = (cell: CellPlan) => cell.params as { noise: number; head: HeadKind };

describe('sface paper module', () => {
  it("quick plans 3 noise rates x 5 heads (NormFace beside the paper's four); the heads of a rate share the network seed", () => {
    const cells = sface.plan('quick', 1);
    expect(cells).toHaveLength(15);
    const at40 = cells.filter((c) => paramsOf(c).noise === 40);
    expect(at40.map((c) => paramsOf(c).head)).toEqual(['softmax', 'normface', 'cosface', 'arcface', 'sface']);
    expect(new Set(at40.map((c) => c.seed)).size).toBe(1);
  });

  it('every quick claim refers to a planned row', () => {
    const planned = new Set(sface.plan('quick', 1).map((c) => `${paramsOf(c).noise}|${paramsOf(c).head}`));
    for (const claim of loadExpected('sface').claims) {
      for (const ref of [claim.left, claim.right]) {
        if (typeof ref === 'number') continue;
        expect(planned.has(`${ref.key.noise}|${ref.key.head}`)).toBe(true);
      }
    }
  });

  it('paper profile needs the CASIA-WebFace folder and its verification .bin files', () => {
    const paths = sface.datasets('paper', '/data').map((d) => d.path);
    expect(paths[0]).toBe('/data/faces_webface_112x112');
    expect(paths).toContain('/data/faces_webface_112x112/lfw.bin');
  });

  it('smoke trains the five heads and verifies each on 10 folds', async () => {
    const acc = (await runSmokeCells(sface, 7)).filter((r) => r.metric === 'accuracy');
    expect(acc.map((r) => r.key.head)).toEqual(['softmax', 'normface', 'cosface', 'arcface', 'sface']);
    for (const r of acc) {
      expect(r.value).toBeGreaterThanOrEqual(0);
      expect(r.value).toBeLessThanOrEqual(100);
      expect(r.note).toContain('insightface-10fold');
    }
  });
});
