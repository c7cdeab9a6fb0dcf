import { describe, expect, it } from 'vitest';
import { argmaxRows, classificationAccuracy, ROC_FARS, rocAuc, rocCurve, tarAtFar } from '../../src/eval/index.js';

// Impostors 0.1 … 1.0 (ten), genuine 0.55, 0.75, 0.95, 0.85.
const impostor = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
const genuine = [0.55, 0.75, 0.95, 0.85];
const scores = [...impostor, ...genuine];
const issame = [...impostor.map(() => false), ...genuine.map(() => true)];

describe('TAR at FAR', () => {
  it('FAR 0.1: threshold is the 2nd-largest impostor score (0.9), one impostor above', () => {
    const r = tarAtFar(scores, issame, 0.1);
    expect(r.threshold).toBe(0.9);
    expect(r.achievedFar).toBe(0.1);
    expect(r.tar).toBe(0.25);
  });
  it('FAR 0.3: threshold 0.7, genuine 0.75, 0.95, 0.85 accepted', () => {
    const r = tarAtFar(scores, issame, 0.3);
    expect(r.threshold).toBe(0.7);
    expect(r.tar).toBe(0.75);
  });
  it('FAR 0: nothing above the largest impostor but 1.0 itself', () => {
    expect(tarAtFar(scores, issame, 0).tar).toBe(0);
  });
});

describe('ROC curve', () => {
  it('reads TAR at each FAR of a log grid, ten per decade from 1e-3 to 1', () => {
    expect(ROC_FARS).toHaveLength(31);
    expect([ROC_FARS[0], ROC_FARS[10], ROC_FARS[20], ROC_FARS[30]]).toEqual([0.001, 0.01, 0.1, 1]);
    expect(ROC_FARS[1]).toBe(0.00126);
  });
  it('gives the TAR at FAR of every point, non-decreasing in FAR', () => {
    const curve = rocCurve(scores, issame, [0, 0.1, 0.3, 0.55, 1]);
    expect(curve.map((p) => p.tar)).toEqual([0, 0.25, 0.75, 1, 1]);
    expect(curve.map((p) => p.achievedFar)).toEqual([0, 0.1, 0.3, 0.5, 1]);
    expect(curve.map((p) => p.threshold)).toEqual([1.0, 0.9, 0.7, 0.5, -Infinity]);
    for (const p of rocCurve(scores, issame)) expect(p).toEqual(tarAtFar(scores, issame, p.far));
  });
});

describe('ROC AUC', () => {
  it('Mann-Whitney count: (5 + 7 + 9 + 8) / 40', () => {
    expect(rocAuc(scores, issame)).toBeCloseTo(29 / 40, 14);
  });
  it('ties count one half; perfect separation is 1', () => {
    expect(rocAuc([0.5, 0.5], [true, false])).toBe(0.5);
    expect(rocAuc([0.9, 0.1], [true, false])).toBe(1);
  });
});

describe('classification accuracy', () => {
  it('argmax rows and counts matches', () => {
    const pred = argmaxRows([0.1, 0.9, 0.8, 0.2, 0.3, 0.7], 3, 2);
    expect([...pred]).toEqual([1, 0, 1]);
    expect(classificationAccuracy(pred, [1, 1, 1])).toBeCloseTo(2 / 3, 14);
  });
});
