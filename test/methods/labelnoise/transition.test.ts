import { describe, expect, it } from 'vitest';
import {
  asymmetricMatrix,
  noisifyLabels,
  pairflipMatrix,
  rowStochasticError,
  symmetricMatrix,
  transitionMatrix,
  type TransitionMatrix,
} from '../../../src/methods/labelnoise/transition.js';

const at = (m: TransitionMatrix, i: number, j: number) => m.p[i * m.classes + j]!;

/** 10,000 labels, 1,000 of each of the 10 classes (100 classes: 100 each). */
const balanced = (classes: number, n = 10_000) => Int32Array.from({ length: n }, (_, i) => i % classes);

describe('transition matrices', () => {
  const all: [string, TransitionMatrix][] = [
    ['symmetric 10', symmetricMatrix(10, 0.8)],
    ['symmetric 100', symmetricMatrix(100, 0.5)],
    ['pairflip 10', pairflipMatrix(10, 0.45)],
    ['asym mnist', asymmetricMatrix('mnist', 0.4)],
    ['asym cifar10', asymmetricMatrix('cifar10', 0.4)],
    ['asym cifar100', asymmetricMatrix('cifar100', 0.4)],
  ];
  it.each(all)('%s is row-stochastic', (_, m) => {
    const { maxRowError, nonNegative } = rowStochasticError(m);
    expect(maxRowError).toBeLessThan(1e-12);
    expect(nonNegative).toBe(true);
  });

  it('symmetric: 1-n on the diagonal, n/(K-1) elsewhere', () => {
    const m = symmetricMatrix(10, 0.8);
    expect(at(m, 3, 3)).toBeCloseTo(0.2, 15);
    expect(at(m, 3, 4)).toBeCloseTo(0.8 / 9, 15);
  });

  it('pairflip: i -> (i+1) mod K', () => {
    const m = pairflipMatrix(10, 0.45);
    expect(at(m, 9, 0)).toBe(0.45);
    expect(at(m, 9, 9)).toBe(0.55);
    expect(at(m, 2, 3)).toBe(0.45);
    expect(at(m, 2, 4)).toBe(0);
  });

  it('asymmetric CIFAR-10: truck->automobile, bird->airplane, cat<->dog, deer->horse; others kept', () => {
    const m = asymmetricMatrix('cifar10', 0.4);
    for (const [s, t] of [
      [9, 1],
      [2, 0],
      [3, 5],
      [5, 3],
      [4, 7],
    ] as const) {
      expect(at(m, s, t)).toBe(0.4);
      expect(at(m, s, s)).toBe(0.6);
    }
    for (const kept of [0, 1, 6, 7, 8]) expect(at(m, kept, kept)).toBe(1);
  });

  it('asymmetric MNIST: 7->1, 2->7, 5<->6, 3->8', () => {
    const m = asymmetricMatrix('mnist', 0.3);
    for (const [s, t] of [
      [7, 1],
      [2, 7],
      [5, 6],
      [6, 5],
      [3, 8],
    ] as const)
      expect(at(m, s, t)).toBe(0.3);
    for (const kept of [0, 1, 4, 8, 9]) expect(at(m, kept, kept)).toBe(1);
  });

  it('asymmetric CIFAR-100: cyclic next class inside blocks of 5 consecutive indices', () => {
    const m = asymmetricMatrix('cifar100', 0.4);
    expect(at(m, 0, 1)).toBe(0.4);
    expect(at(m, 4, 0)).toBe(0.4); // wraps inside the block, not to 5
    expect(at(m, 4, 5)).toBe(0);
    expect(at(m, 99, 95)).toBe(0.4);
  });

  it('asymmetric noise on a dataset with another class count is refused', () => {
    expect(() => transitionMatrix('asymmetric', 0.4, 100, 'cifar10')).toThrow(/classes/);
  });
});

describe('noisifyLabels on 10,000 labels', () => {
  const cases: [string, TransitionMatrix, number, number][] = [
    ['symmetric 20 %', symmetricMatrix(10, 0.2), 0.2, 10],
    ['symmetric 50 %', symmetricMatrix(10, 0.5), 0.5, 10],
    ['symmetric 80 %', symmetricMatrix(10, 0.8), 0.8, 10],
    ['pairflip 45 %', pairflipMatrix(10, 0.45), 0.45, 10],
    ['asymmetric CIFAR-10 40 % (half the classes)', asymmetricMatrix('cifar10', 0.4), 0.2, 10],
    ['asymmetric CIFAR-100 40 %', asymmetricMatrix('cifar100', 0.4), 0.4, 100],
    ['symmetric 80 %, 100 classes', symmetricMatrix(100, 0.8), 0.8, 100],
  ];
  it.each(cases)('%s: measured flip rate within one point of the asked rate', (_, m, rate, classes) => {
    const labels = balanced(classes);
    const out = noisifyLabels(labels, m, 20240601);
    expect(Math.abs(out.actualRate - rate)).toBeLessThan(0.01);
    let changed = 0;
    for (let i = 0; i < labels.length; i++) {
      expect(out.clean[i]).toBe(out.noisy[i] === labels[i] ? 1 : 0);
      if (out.noisy[i] !== labels[i]) changed++;
    }
    expect(out.actualRate).toBe(changed / labels.length);
  });

  it('pairflip corrupts every flipped label to (y+1) mod K', () => {
    const labels = balanced(10);
    const out = noisifyLabels(labels, pairflipMatrix(10, 0.45), 7);
    for (let i = 0; i < labels.length; i++) if (!out.clean[i]) expect(out.noisy[i]).toBe((labels[i]! + 1) % 10);
  });

  it('symmetric noise never maps to the true class and spreads over the K-1 others', () => {
    const labels = new Int32Array(10_000).fill(3);
    const out = noisifyLabels(labels, symmetricMatrix(10, 0.8), 11);
    const counts = new Array(10).fill(0);
    for (const y of out.noisy) counts[y]++;
    // Each wrong class gets 0.8/9 ≈ 8.9 % (sigma ≈ 0.28 points on 10,000 draws; bound 4 sigma).
    counts.forEach((c, k) => {
      if (k === 3) expect(Math.abs(c / 10_000 - 0.2)).toBeLessThan(0.016);
      else expect(Math.abs(c / 10_000 - 0.8 / 9)).toBeLessThan(0.0115);
    });
  });

  it('is a pure function of the seed', () => {
    const labels = balanced(10);
    const a = noisifyLabels(labels, symmetricMatrix(10, 0.5), 5);
    const b = noisifyLabels(labels, symmetricMatrix(10, 0.5), 5);
    const c = noisifyLabels(labels, symmetricMatrix(10, 0.5), 6);
    expect(Array.from(a.noisy)).toEqual(Array.from(b.noisy));
    expect(Array.from(a.noisy)).not.toEqual(Array.from(c.noisy));
  });
});
