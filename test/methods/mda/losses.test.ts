import { describe, expect, it } from 'vitest';
import { crossEntropy, jointLoss, klDivergence, logits, mdaLoss, meanPointLoss, selectedCrossEntropy, type Logits } from '../../../src/methods/mda/losses.js';
import { createRng } from '../../../src/core/rng.js';

const E = Math.E;
// A fixed batch: row 0 disagrees between the networks, row 1 agrees.
const z1 = logits([1, 0, 0, 0, 2, -1], 2, 3);
const z2 = logits([0, 1, 0, 0, 2, -1], 2, 3);
const labels = [0, 1];
const lambda = 0.65;

// Hand-computed values (softmax of [1,0,0] is [e,1,1]/(e+2); of [0,2,-1] is [1,e²,1/e]/(1+e²+1/e)).
const ce1Row0 = Math.log(E + 2) - 1;
const ce2Row0 = Math.log(E + 2);
const ceRow1 = Math.log(1 + E * E + 1 / E) - 2;
const klRow0 = (E - 1) / (E + 2);

describe('loss terms on a fixed batch equal hand-computed values', () => {
  it('cross-entropy per sample', () => {
    const ce = crossEntropy(z1, labels).loss;
    expect(ce[0]).toBeCloseTo(ce1Row0, 12);
    expect(ce[1]).toBeCloseTo(ceRow1, 12);
    expect(crossEntropy(logits([0, 0, 0], 1, 3), [2]).loss[0]).toBeCloseTo(Math.log(3), 14);
  });

  it('kl(pred, soft) = Σ softmax(soft)·(log softmax(soft) − log softmax(pred)); zero for equal logits', () => {
    const kl12 = klDivergence(z1, z2).loss;
    const kl21 = klDivergence(z2, z1).loss;
    expect(kl12[0]).toBeCloseTo(klRow0, 12);
    expect(kl21[0]).toBeCloseTo(klRow0, 12);
    expect(kl12[1]).toBeCloseTo(0, 14);
  });

  it("JoCoR's joint loss (MDA's selection score)", () => {
    const l = jointLoss(z1, z2, labels, lambda).loss;
    expect(l[0]).toBeCloseTo((1 - lambda) * (ce1Row0 + ce2Row0) + lambda * 2 * klRow0, 12);
    expect(l[1]).toBeCloseTo((1 - lambda) * 2 * ceRow1, 12);
  });

  it('mean-point term: MSE(z1,z̄)+MSE(z2,z̄) = 1/6 here, and = ½·MSE(z1,z2) for any logits (card claim 1)', () => {
    expect(meanPointLoss(z1, z2).value).toBeCloseTo(1 / 6, 14);
    const rng = createRng(9);
    const a = logits(
      Float64Array.from({ length: 40 }, () => 3 * rng.normal()),
      4,
      10,
    );
    const b = logits(
      Float64Array.from({ length: 40 }, () => 3 * rng.normal()),
      4,
      10,
    );
    let mse = 0;
    for (let j = 0; j < 40; j++) mse += (a.values[j]! - b.values[j]!) ** 2 / 40;
    expect(meanPointLoss(a, b).value).toBeCloseTo(mse / 2, 12);
  });

  it('MDA loss = mean over selected of CE1+CE2 (no KL) + mean-point term over all samples', () => {
    const onlyRow1 = mdaLoss(z1, z2, labels, [0, 1]);
    expect(onlyRow1.selectedTerm).toBeCloseTo(2 * ceRow1, 12);
    expect(onlyRow1.meanPointTerm).toBeCloseTo(1 / 6, 14);
    expect(onlyRow1.value).toBeCloseTo(2 * ceRow1 + 1 / 6, 12);
    expect(mdaLoss(z1, z2, labels, [1, 1]).value).toBeCloseTo((ce1Row0 + ce2Row0 + 2 * ceRow1) / 2 + 1 / 6, 12);
    // The unselected row still pulls the two networks together through the mean-point gradient.
    expect(onlyRow1.grad1[0]).toBeCloseTo(1 / 6, 14);
    expect(onlyRow1.grad2[0]).toBeCloseTo(-1 / 6, 14);
    const none = selectedCrossEntropy(z1, z2, labels, [0, 0]);
    expect(none.value).toBe(0);
    expect(none.count).toBe(0);
  });
});

/** Central finite differences of a scalar function of the logits. */
function numericGrad(f: (v: Float64Array) => number, values: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(values.length);
  for (let j = 0; j < values.length; j++) {
    const plus = Float64Array.from(values);
    const minus = Float64Array.from(values);
    plus[j]! += h;
    minus[j]! -= h;
    g[j] = (f(plus) - f(minus)) / (2 * h);
  }
  return g;
}

describe('logit gradients match finite differences', () => {
  const rng = createRng(21);
  const B = 3;
  const K = 5;
  const a = Float64Array.from({ length: B * K }, () => 2 * rng.normal());
  const b = Float64Array.from({ length: B * K }, () => 2 * rng.normal());
  const y = [4, 0, 2];
  const L = (v: Float64Array): Logits => logits(v, B, K);
  const sum = (x: Float64Array) => x.reduce((s, v) => s + v, 0);

  it('cross-entropy', () => {
    const g = numericGrad((v) => sum(crossEntropy(L(v), y).loss), a);
    crossEntropy(L(a), y).grad.forEach((v, j) => expect(v).toBeCloseTo(g[j]!, 6));
  });

  it('kl w.r.t. pred and soft targets', () => {
    const kl = klDivergence(L(a), L(b));
    const gPred = numericGrad((v) => sum(klDivergence(L(v), L(b)).loss), a);
    const gSoft = numericGrad((v) => sum(klDivergence(L(a), L(v)).loss), b);
    kl.gradPred.forEach((v, j) => expect(v).toBeCloseTo(gPred[j]!, 6));
    kl.gradSoft.forEach((v, j) => expect(v).toBeCloseTo(gSoft[j]!, 6));
  });

  it('joint loss w.r.t. both networks', () => {
    const j = jointLoss(L(a), L(b), y, lambda);
    const g1 = numericGrad((v) => sum(jointLoss(L(v), L(b), y, lambda).loss), a);
    const g2 = numericGrad((v) => sum(jointLoss(L(a), L(v), y, lambda).loss), b);
    j.grad1.forEach((v, k) => expect(v).toBeCloseTo(g1[k]!, 6));
    j.grad2.forEach((v, k) => expect(v).toBeCloseTo(g2[k]!, 6));
  });

  it('MDA loss w.r.t. both networks', () => {
    const sel = [1, 0, 1];
    const m = mdaLoss(L(a), L(b), y, sel);
    const g1 = numericGrad((v) => mdaLoss(L(v), L(b), y, sel).value, a);
    const g2 = numericGrad((v) => mdaLoss(L(a), L(v), y, sel).value, b);
    m.grad1.forEach((v, k) => expect(v).toBeCloseTo(g1[k]!, 6));
    m.grad2.forEach((v, k) => expect(v).toBeCloseTo(g2[k]!, 6));
  });
});
