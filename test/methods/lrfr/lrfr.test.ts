import { describe, expect, it } from 'vitest';
import { tf } from '../../../src/engine/tf.js';
import { createRng } from '../../../src/core/rng.js';
import { DEFAULT_MRA, METRIC_KINDS, degradeTo, metricLoss, sampleResolution, type MetricKind } from '../../../src/methods/lrfr/index.js';

const U = [[0.5, -1.2, 2.0, 0.1]];
const V = [[0.2, 0.3, -0.5, 0.15]];
const E = U[0]!.map((u, i) => u - V[0]![i]!);

function grad(kind: MetricKind, tau = 1): number[] {
  const v = tf.tensor2d(V);
  return Array.from(tf.grad((u: tf.Tensor) => metricLoss(kind, u as tf.Tensor2D, v, { tau }))(tf.tensor2d(U)).dataSync());
}

describe('LogExp candidates and baseline metrics', () => {
  it('D(0) = 0 for every form', () => {
    for (const kind of METRIC_KINDS) {
      const d = metricLoss(kind, tf.tensor2d(U), tf.tensor2d(U)).dataSync()[0]!;
      expect(Math.abs(d)).toBeLessThan(1e-6);
    }
  });

  it('values from the card formulas', () => {
    const value = (kind: MetricKind) => metricLoss(kind, tf.tensor2d(U), tf.tensor2d(V)).dataSync()[0]!;
    expect(value('logcosh')).toBeCloseTo(E.reduce((s, e) => s + Math.log(Math.cosh(e)), 0), 5);
    expect(value('logsumexp')).toBeCloseTo(Math.log(E.reduce((s, e) => s + Math.exp(Math.abs(e)), 0) / 4), 5);
    expect(value('softplus')).toBeCloseTo(E.reduce((s, e) => s + Math.log(1 + Math.exp(Math.abs(e))), 0) - 4 * Math.log(2), 5);
    expect(value('l1')).toBeCloseTo(E.reduce((s, e) => s + Math.abs(e), 0), 5);
    expect(value('l2')).toBeCloseTo(E.reduce((s, e) => s + e * e, 0) / 2, 5);
    expect(value('smoothl1')).toBeCloseTo(E.reduce((s, e) => s + (Math.abs(e) < 1 ? (e * e) / 2 : Math.abs(e) - 0.5), 0), 5);
  });

  it('gradients: (A) tanh(e), (B) sign(e)·softmax(|e|/τ), (C) sign(e)·σ(|e|)', () => {
    grad('logcosh').forEach((g, i) => expect(g).toBeCloseTo(Math.tanh(E[i]!), 5));
    const z = E.reduce((s, e) => s + Math.exp(Math.abs(e) / 0.5), 0);
    grad('logsumexp', 0.5).forEach((g, i) => expect(g).toBeCloseTo((Math.sign(E[i]!) * Math.exp(Math.abs(E[i]!) / 0.5)) / z, 5));
    grad('softplus').forEach((g, i) => expect(g).toBeCloseTo(Math.sign(E[i]!) / (1 + Math.exp(-Math.abs(E[i]!))), 5));
  });

  it('(B): a dimension with 3x the error gets e^{2|e|/τ} times the gradient', () => {
    const e = 0.4;
    const tau = 0.5;
    const g = Array.from(
      tf.grad((u: tf.Tensor) => metricLoss('logsumexp', u as tf.Tensor2D, tf.zeros([1, 3]) as tf.Tensor2D, { tau }))(tf.tensor2d([[e, 3 * e, 0]])).dataSync(),
    );
    expect(g[1]! / g[0]!).toBeCloseTo(Math.exp((2 * e) / tau), 4);
  });
});

describe('Multi-Resolution Augmentation', () => {
  it('keeps HR with p_hr = 0.5 and draws r inside the three levels, equally often', () => {
    const rng = createRng(1);
    const counts: Record<string, number> = { hr: 0, hard: 0, medium: 0, easy: 0 };
    for (let i = 0; i < 6000; i++) {
      const d = sampleResolution(DEFAULT_MRA, rng);
      if (!d) {
        counts.hr!++;
        continue;
      }
      counts[d.level]!++;
      const level = DEFAULT_MRA.levels.find((l) => l.name === d.level)!;
      expect(d.r).toBeGreaterThanOrEqual(level.min);
      expect(d.r).toBeLessThanOrEqual(level.name === 'easy' ? level.max : level.max - 1);
    }
    expect(Math.abs(counts.hr! - 3000)).toBeLessThan(200);
    for (const level of ['hard', 'medium', 'easy']) expect(Math.abs(counts[level]! - 1000)).toBeLessThan(150);
  });

  it('degradeTo leaves an image at or above r unchanged and blurs below', () => {
    const size = 16;
    const image = Float32Array.from({ length: size * size }, (_, i) => (i + Math.floor(i / size)) % 2);
    expect(Array.from(degradeTo(image, size, 1, 16, 'area', 'bicubic'))).toEqual(Array.from(image));
    const low = degradeTo(image, size, 1, 8, 'area', 'bicubic');
    // a one-pixel checkerboard averages to 0.5 at half resolution
    expect(low.every((v) => Math.abs(v - 0.5) < 1e-6)).toBe(true);
  });
});
