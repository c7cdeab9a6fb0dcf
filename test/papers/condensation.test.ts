// repro condensation: the analytic cells measure what expected/condensation.json expects (the contract of every paper: contract.test.ts).
import { describe, expect, it } from 'vitest';
import { check } from '../../src/harness/checker.js';
import { loadExpected } from '../../src/harness/expected.js';
import type { Profile } from '../../src/core/types.js';
import { countNetwork, resolveNetwork, tinyYolo } from '../../src/nets/index.js';
import { condensationPaper as condensation } from '../../src/papers/condensation.js';
import { runAnalyticCells, valueOf } from './helpers.js';

const runAll = (profile: Profile) => runAnalyticCells(condensation, profile);

describe('condensation paper module', () => {
  // Declarations, plans, datasets, --help and the smoke run's CSVs: test/papers/contract.test.ts.
  it('every expected cell of quick is measured by the analytic cells', async () => {
    const rows = await runAll('quick');
    const report = check('condensation', 'quick', rows, loadExpected('condensation'));
    const unmeasured = report.rows.filter((r) => r.note?.includes('not measured'));
    expect(unmeasured).toEqual([]);
  });

  it('measures the chosen setting honestly: 26.42 % saving, and the overheads from the stated model', async () => {
    const rows = await runAll('smoke');
    const saving = valueOf(rows, 'bandwidth', { setting: 'ccp conv3-6; pools separate; image and weights excluded' }, 'saving_percent')!;
    // Card formulas, derived independently of the cost model: virtual traffic = Tiny-YOLOv2's
    // (every layer reads its input and writes its output, image read excluded); materialised adds,
    // per CCP layer with N output elements, 2N written + 2N read back (the N write is in both).
    const plain = countNetwork(resolveNetwork(tinyYolo()));
    const plainTraffic = plain.layers.reduce((s, l, i) => s + l.outputElements + (i === 0 ? 0 : l.inputElements), 0);
    const n = [104 * 104 * 64, 52 * 52 * 128, 26 * 26 * 256, 13 * 13 * 512].reduce((a, b) => a + b, 0);
    expect(saving).toBeCloseTo((100 * 4 * n) / (plainTraffic + 4 * n), 10);
    expect(saving).toBeCloseTo(26.42, 2);
    expect(valueOf(rows, 'storage', { network: 'condensation virtual' }, 'increase_percent')).toBe(0);
    expect(valueOf(rows, 'overhead', { item: 'memory' }, 'extra_bytes')).toBe(256);
    const report = check('condensation', 'smoke', rows, loadExpected('condensation'));
    const failed = report.rows.filter((r) => r.status === 'fail').map((r) => `${r.table} ${r.metric}`);
    // These three are reported beside the abstract's numbers and fail: see the notes.
    expect(failed.sort()).toEqual(['bandwidth saving_percent', 'overhead extra_percent', 'overhead extra_percent']);
  });
});
