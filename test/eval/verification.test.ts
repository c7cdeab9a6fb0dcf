import { describe, expect, it } from 'vitest';
import {
  INSIGHTFACE_THRESHOLDS,
  cosineVerification,
  flipSum,
  insightfaceVerification,
  interleavedPairSquaredL2,
  kFoldRanges,
  kFoldThresholdAccuracy,
  l2NormalizeRows,
} from '../../src/eval/index.js';

describe('insightface building blocks', () => {
  it('threshold grid is np.arange(0, 4, 0.01)', () => {
    expect(INSIGHTFACE_THRESHOLDS.length).toBe(400);
    expect(INSIGHTFACE_THRESHOLDS[0]).toBe(0);
    expect(INSIGHTFACE_THRESHOLDS[21]).toBe(21 * 0.01);
    expect(INSIGHTFACE_THRESHOLDS[399]).toBeCloseTo(3.99, 12);
  });

  it('folds are contiguous like sklearn KFold(shuffle=False)', () => {
    expect(kFoldRanges(12, 10)).toEqual([
      [0, 2],
      [2, 4],
      [4, 5],
      [5, 6],
      [6, 7],
      [7, 8],
      [8, 9],
      [9, 10],
      [10, 11],
      [11, 12],
    ]);
    expect(kFoldRanges(6000, 10)[9]).toEqual([5400, 6000]);
  });

  it('normalises rows, flip-sums, and takes squared L2 of interleaved pairs', () => {
    const n = l2NormalizeRows({ data: new Float32Array([3, 4, 1, 0]), n: 2, dim: 2 });
    expect([...n]).toEqual([0.6, 0.8, 1, 0]);
    // |(0.6, 0.8) - (1, 0)|² = 0.16 + 0.64
    expect(interleavedPairSquaredL2(n, 2, 2)[0]).toBeCloseTo(0.8, 12);
    const s = flipSum({ data: new Float32Array([1, 0]), n: 1, dim: 2 }, { data: new Float32Array([0, 1]), n: 1, dim: 2 });
    expect([...l2NormalizeRows(s)].map((v) => v * Math.SQRT2)).toEqual([expect.closeTo(1, 12), expect.closeTo(1, 12)]);
  });
});

describe('k-fold threshold protocol (hand-worked)', () => {
  // Two folds of four pairs, distances (same iff d < t):
  //   fold 0: 0.5 T, 1.5 T, 2.5 F, 1.0 F      fold 1: 0.2 T, 3.0 F, 0.8 F, 1.2 T
  // Fold 0 is tested with the threshold chosen on fold 1: accuracy 0.75 first reached for 0.2 < t,
  // so t = 0.21 (np.argmax takes the first maximum); on fold 0 that accepts nothing: 2/4 = 0.5.
  // Fold 1 is tested with t chosen on fold 0: first maximum for 0.5 < t, t = 0.51; on fold 1:
  // 0.2 T accepted, 3.0 F and 0.8 F rejected, 1.2 T rejected: 3/4 = 0.75.
  // Mean 0.625, population std 0.125.
  const dist = [0.5, 1.5, 2.5, 1.0, 0.2, 3.0, 0.8, 1.2];
  const same = [true, true, false, false, true, false, false, true];

  it('chooses the first best threshold on the other folds', () => {
    const r = kFoldThresholdAccuracy(dist, same, { thresholds: INSIGHTFACE_THRESHOLDS, lowerIsSame: true, folds: 2 });
    expect(r.thresholds).toEqual([21 * 0.01, 51 * 0.01]);
    expect(r.foldAccuracies).toEqual([0.5, 0.75]);
    expect(r.accuracy).toBe(0.625);
    expect(r.std).toBe(0.125);
  });

  it('Youden J and accuracy pick different thresholds on imbalanced folds', () => {
    // Similarities (same iff s > t). Fold 0 (used to choose fold 1's threshold):
    //   genuine 0.5, 0.9; impostors 0.6, 0.7, 0.8, 0.1, 0.2, 0.3.
    //   t = 0.3: tp 2, fp 3, tn 3 → acc 5/8, J = 1 − 3/6 = 0.5 (first J maximum)
    //   t = 0.8: tp 1, fn 1, tn 6 → acc 7/8 (accuracy maximum), J = 0.5
    // Fold 1: 0.35 T, 0.85 T, 0.4 F, 0.95 F, 0.05 F, 0.15 F, 0.25 T, 0.55 F
    //   at t = 0.3: 4/8 correct; at t = 0.8: 5/8 correct.
    const scores = [0.5, 0.9, 0.6, 0.7, 0.8, 0.1, 0.2, 0.3, 0.35, 0.85, 0.4, 0.95, 0.05, 0.15, 0.25, 0.55];
    const issame = [true, true, false, false, false, false, false, false, true, true, false, false, false, false, true, false];
    const grid = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
    const youden = kFoldThresholdAccuracy(scores, issame, { thresholds: grid, lowerIsSame: false, folds: 2, criterion: 'youden' });
    const acc = kFoldThresholdAccuracy(scores, issame, { thresholds: grid, lowerIsSame: false, folds: 2, criterion: 'accuracy' });
    expect(youden.thresholds[1]).toBe(0.3);
    expect(youden.foldAccuracies[1]).toBe(0.5);
    expect(acc.thresholds[1]).toBe(0.8);
    expect(acc.foldAccuracies[1]).toBe(0.625);
  });
});

describe('insightfaceVerification end to end', () => {
  // 20 pairs of 2-d embeddings: genuine pairs 10° apart (d = 2 − 2cos10° ≈ 0.0304), impostors 90°
  // apart (d = 2): every threshold in (0.0304, 2] separates them, all folds are perfect.
  function pairs(flip: boolean) {
    const rows: number[] = [];
    const flipped: number[] = [];
    const issame: boolean[] = [];
    for (let p = 0; p < 20; p++) {
      const a = (p * 17 * Math.PI) / 180;
      const b = a + ((p % 2 === 0 ? 10 : 90) * Math.PI) / 180;
      rows.push(Math.cos(a), Math.sin(a), 2 * Math.cos(b), 2 * Math.sin(b));
      // the mirrored image's embedding, equal here up to scale: the flip-sum keeps the direction
      flipped.push(3 * Math.cos(a), 3 * Math.sin(a), Math.cos(b), Math.sin(b));
      issame.push(p % 2 === 0);
    }
    return {
      embeddings: { data: new Float64Array(rows), n: 40, dim: 2 },
      flipped: flip ? { data: new Float64Array(flipped), n: 40, dim: 2 } : undefined,
      issame,
    };
  }

  it('separable pairs give accuracy 1 and std 0, with and without flip', () => {
    for (const flip of [true, false]) {
      const r = insightfaceVerification(pairs(flip));
      expect(r.accuracy).toBe(1);
      expect(r.std).toBe(0);
      expect(r.protocol).toBe(flip ? 'insightface' : 'insightfaceNoFlip');
      expect(r.scores[0]).toBeCloseTo(2 - 2 * Math.cos((10 * Math.PI) / 180), 10);
      expect(r.scores[1]).toBeCloseTo(2, 10);
      // first threshold above the largest genuine distance 0.0304
      expect(r.thresholds.every((t) => t === 0.04)).toBe(true);
    }
  });

  it('cosine variant separates the same pairs', () => {
    const r = cosineVerification(pairs(true), 'youden');
    expect(r.accuracy).toBe(1);
    expect(r.protocol).toBe('cosineYouden');
    expect(r.scores[0]).toBeCloseTo(Math.cos((10 * Math.PI) / 180), 10);
  });

  it('a label flipped in one fold costs exactly that fold 1/2', () => {
    const input = pairs(false);
    const issame = [...input.issame];
    issame[0] = !issame[0]; // pair 0 (fold 0, of 2 pairs) now mislabelled
    const r = insightfaceVerification({ ...input, issame });
    expect(r.foldAccuracies[0]).toBe(0.5);
    expect(r.foldAccuracies.slice(1).every((a) => a === 1)).toBe(true);
    expect(r.accuracy).toBeCloseTo(0.95, 12);
    expect(r.std).toBeCloseTo(Math.sqrt((0.45 ** 2 + 9 * 0.05 ** 2) / 10), 12);
  });
});
