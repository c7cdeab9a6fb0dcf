import { describe, expect, it } from 'vitest';
import { forgetRateSchedule, adamPlan, defaultForgetRate, linspace } from '../../../src/methods/mda/schedule.js';
import { argsortAscending, labelPrecision, numRemember, selectSmallLoss } from '../../../src/methods/mda/selection.js';
import { createRng } from '../../../src/core/rng.js';
import { parseReportRule, reportMetric, reportedEpochs } from '../../../src/methods/mda/report.js';
import type { EpochRecord } from '../../../src/methods/mda/train.js';

describe('small-loss selection', () => {
  it('keeps exactly the int((1-r)·n) smallest losses', () => {
    const losses = [0.9, 0.1, 0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6, 0.05];
    expect(selectSmallLoss(losses, 0.5)).toEqual([9, 1, 5, 3, 7]);
    // (1 − 0.8)·10 = 1.9999999999999996 in floats, and int() truncates: one sample, as in the code.
    expect(selectSmallLoss(losses, 0.8)).toEqual([9]);
    expect(selectSmallLoss(losses, 0.7)).toEqual([9, 1, 5]);
    expect(selectSmallLoss(losses, 0)).toHaveLength(10);
  });

  it('int() truncates like the code: 0.2 of 50000 under float rounding', () => {
    expect(numRemember(50_000, 0.8)).toBe(Math.trunc((1 - 0.8) * 50_000)); // 9999: (1-0.8)*50000 = 9999.999…
    expect(numRemember(50_000, 0.8)).toBe(9999);
    expect(numRemember(128, 0.45)).toBe(70);
  });

  it('on random losses every kept loss is ≤ every dropped loss', () => {
    const rng = createRng(3);
    const losses = Float32Array.from({ length: 1000 }, () => rng.next());
    const keep = selectSmallLoss(losses, 0.37);
    expect(keep).toHaveLength(numRemember(1000, 0.37));
    const kept = new Set(keep);
    const maxKept = Math.max(...keep.map((i) => losses[i]!));
    for (let i = 0; i < 1000; i++) if (!kept.has(i)) expect(losses[i]!).toBeGreaterThanOrEqual(maxKept);
  });

  it('argsort is stable on ties', () => {
    expect(argsortAscending([1, 0, 1, 0])).toEqual([1, 3, 0, 2]);
  });

  it('label precision counts clean labels among the selected dataset indices', () => {
    const clean = Uint8Array.from([1, 0, 1, 1, 0]);
    expect(labelPrecision([0, 1, 2, 4], clean)).toBe(0.5);
    expect(labelPrecision([], clean)).toBeNaN();
  });
});

describe('schedules', () => {
  it('numpy linspace includes both ends', () => {
    expect(linspace(0, 0.9, 10)[9]).toBe(0.9);
    expect(linspace(0, 1, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('forget-rate schedule: r[e] = τ·e/9 for e < 10, τ afterwards (card claim 3)', () => {
    const tau = 0.8;
    const r = forgetRateSchedule(200, tau, 10, 1);
    for (let e = 0; e < 10; e++) expect(r[e]).toBeCloseTo((tau * e) / 9, 12);
    expect(r[10]).toBe(tau);
    expect(r[199]).toBe(tau);
    expect(forgetRateSchedule(200, 0.5, 10, 2)[9]).toBeCloseTo(0.25, 12); // τ^c with c = 2
  });

  it('forget rate is half the noise rate for asymmetric noise', () => {
    expect(defaultForgetRate('asymmetric', 0.4)).toBe(0.2);
    expect(defaultForgetRate('symmetric', 0.8)).toBe(0.8);
  });

  it('lr decays linearly to 0 from the decay start; beta1 switches there', () => {
    const plan = adamPlan(200, 0.001, 100, 0.1);
    expect(plan.lr[99]).toBe(0.001);
    expect(plan.lr[100]).toBeCloseTo(0.001, 15);
    expect(plan.lr[150]).toBeCloseTo(0.0005, 15);
    expect(plan.lr[199]).toBeCloseTo(0.00001, 15);
    expect(plan.beta1[99]).toBe(0.9);
    expect(plan.beta1[100]).toBe(0.1);
  });
});

describe('reporting rule', () => {
  const rec = (epoch: number, testAcc: number): EpochRecord => ({
    epoch,
    testAcc,
    testAccNet1: testAcc,
    testAccNet2: testAcc,
    testAccEnsemble: testAcc,
    labelPrecision: epoch,
    selected: 0,
    trainLoss: 0,
  });
  const records = [rec(1, 50), rec(2, 70), rec(3, 60), rec(4, 65)];

  it('best, last and mean of the last k epochs', () => {
    expect(reportMetric(records, parseReportRule('last'), (r) => r.testAcc)).toBe(65);
    expect(reportMetric(records, parseReportRule('best'), (r) => r.testAcc)).toBe(70);
    expect(reportMetric(records, parseReportRule('best'), (r) => r.labelPrecision)).toBe(2); // at the best epoch
    expect(reportMetric(records, parseReportRule('mean-last-2'), (r) => r.testAcc)).toBe(62.5);
    expect(reportedEpochs(records, parseReportRule('mean-last-10'))).toHaveLength(4);
  });

  it('rejects an unknown rule', () => {
    expect(() => parseReportRule('median')).toThrow(/mean-last/);
  });
});
