// The LogExp candidates and baseline metrics of src/methods/lrfr/metric.ts: values and gradients from the card.
import { describe, expect, it } from 'vitest';
import { tf } from '../../../src/engine/tf.js';
import { METRIC_KINDS, metricLoss, type MetricKind } from '../../../src/methods/lrfr/metric.js';

const U = [[0.5, -1.2, 2.0, 0.1]];
const V = [[0.2, 0.3, -0.5, 0.15]];
const E = U[0]!.map((u, i) => u - V[0]![i]!);

function grad(kind: MetricKind, tau = 1): number[] {
  const v = tf.tensor2d(V);
  return Array.from(
    tf
      .grad((u: tf.Tensor) => metricLoss(kind, u as tf.Tensor2D, v, { tau }))(tf.tensor2d(U))
      .dataSync(),
  );
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
    expect(value('logcosh')).toBeCloseTo(
      E.reduce((s, e) => s + Math.log(Math.cosh(e)), 0),
      5,
    );
    expect(value('logsumexp')).toBeCloseTo(Math.log(E.reduce((s, e) => s + Math.exp(Math.abs(e)), 0) / 4), 5);
    expect(value('softplus')).toBeCloseTo(E.reduce((s, e) => s + Math.log(1 + Math.exp(Math.abs(e))), 0) - 4 * Math.log(2), 5);
    expect(value('l1')).toBeCloseTo(
      E.reduce((s, e) => s + Math.abs(e), 0),
      5,
    );
    expect(value('l2')).toBeCloseTo(E.reduce((s, e) => s + e * e, 0) / 2, 5);
    expect(value('smoothl1')).toBeCloseTo(
      E.reduce((s, e) => s + (Math.abs(e) < 1 ? (e * e) / 2 : Math.abs(e) - 0.5), 0),
      5,
    );
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
      tf
        .grad((u: tf.Tensor) => metricLoss('logsumexp', u as tf.Tensor2D, tf.zeros([1, 3]) as tf.Tensor2D, { tau }))(tf.tensor2d([[e, 3 * e, 0]]))
        .dataSync(),
    );
    expect(g[1]! / g[0]!).toBeCloseTo(Math.exp((2 * e) / tau), 4);
  });
});
