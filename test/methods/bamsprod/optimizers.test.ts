import { describe, expect, it } from 'vitest';
import { adabound } from '../../../src/methods/bamsprod/adabound.js';
import { adam } from '../../../src/methods/bamsprod/adam.js';
import { amsgrad } from '../../../src/methods/bamsprod/amsgrad.js';
import { bamsprod, bamsprodBounds, quantisationErrorLevel } from '../../../src/methods/bamsprod/bamsprod.js';
import { bop } from '../../../src/methods/bamsprod/bop.js';
import { runCounterexample } from '../../../src/methods/bamsprod/convex.js';
import { sgd } from '../../../src/methods/bamsprod/sgd.js';

const f32 = (...xs: number[]) => new Float32Array(xs);

describe('update rules against hand-computed steps', () => {
  it('Adam: the first bias-corrected step moves by exactly lr·sign(g)', () => {
    // m = 0.1·0.5 = 0.05, v = 0.001·0.25; m̂ = 0.5, v̂ = 0.25 → step 0.1·0.5/(0.5 + 1e-8).
    const w = f32(1);
    adam({ lr: 0.1 }).step('w', w, f32(0.5));
    expect(w[0]).toBeCloseTo(1 - 0.1 * (0.5 / (0.5 + 1e-8)), 6);
  });

  it('Adam: three steps with β1 = β2 = 0.5', () => {
    const opt = adam({ lr: 1, beta1: 0.5, beta2: 0.5, eps: 0 });
    const w = f32(0);
    opt.step('w', w, f32(1)); // m = 0.5, v = 0.5; m̂ = v̂ = 1 → w = −1
    expect(w[0]).toBeCloseTo(-1, 6);
    opt.step('w', w, f32(-1)); // m = −0.25, v = 0.75; m̂ = −1/3, v̂ = 1 → w = −2/3
    expect(w[0]).toBeCloseTo(-2 / 3, 6);
    opt.step('w', w, f32(2)); // m = 0.875, v = 2.375; m̂ = 1, v̂ = 2.375/0.875
    expect(w[0]).toBeCloseTo(-2 / 3 - 1 / Math.sqrt(2.375 / 0.875), 5);
  });

  it('AMSGrad keeps the maximum second moment and has no bias correction', () => {
    const opt = amsgrad({ lr: 1, beta1: 0, beta2: 0.5, eps: 0 });
    const w = f32(0);
    opt.step('w', w, f32(2)); // v = 2, v̂ = 2 → w = −2/√2
    expect(w[0]).toBeCloseTo(-Math.SQRT2, 6);
    opt.step('w', w, f32(-0.1)); // v = 1.005, v̂ stays 2 → w += 0.1/√2
    expect(w[0]).toBeCloseTo(-Math.SQRT2 + 0.1 / Math.SQRT2, 6);
  });

  it("AMSGrad's PyTorch form bias-corrects: α/(1−β1^t) over √v̂/√(1−β2^t)", () => {
    const opt = amsgrad({ lr: 1, beta1: 0, beta2: 0.5, eps: 0, form: 'pytorch' });
    const w = f32(0);
    opt.step('w', w, f32(2)); // v = 2, v̂ = 2, √(1−0.5) → w = −2/(√2/√0.5) = −1
    expect(w[0]).toBeCloseTo(-1, 6);
    opt.step('w', w, f32(-0.1)); // v = 1.005, v̂ stays 2, √(1−0.25) → w += 0.1·√0.75/√2
    expect(w[0]).toBeCloseTo(-1 + (0.1 * Math.sqrt(0.75)) / Math.SQRT2, 6);
  });

  it("Adam without bias correction is the form of Reddi et al.'s counterexample", () => {
    const w = f32(0);
    adam({ lr: 1, beta1: 0.5, beta2: 0.5, eps: 0, biasCorrection: false }).step('w', w, f32(1)); // m = v = 0.5 → w = −0.5/√0.5
    expect(w[0]).toBeCloseTo(-Math.SQRT1_2, 6);
  });

  it("AdaBound's official form has no 1/√t after the clip; the paper's form has", () => {
    // γ = 1, t = 2: η_u = 0.1·1.5 = 0.15 binds (α/√v is huge); m = 0.1 then 0.19.
    const run = (form: 'official' | 'paper') => {
      const opt = adabound({ lr: 1000, finalLr: 0.1, gamma: 1, form });
      const w = f32(0);
      opt.step('w', w, f32(1));
      opt.step('w', w, f32(1));
      return w[0]!;
    };
    expect(run('official')).toBeCloseTo(-0.2 * 0.1 - 0.15 * 0.19, 6);
    expect(run('paper')).toBeCloseTo(-0.2 * 0.1 - (0.15 / Math.SQRT2) * 0.19, 6);
  });

  it('AMSBound divides by the running maximum of v, AdaBound by v itself', () => {
    // Paper form (no bias correction), lr 0.01: the bounds [~1e-4, ~100] do not bind.
    const run = (amsbound: boolean) => {
      const opt = adabound({ lr: 0.01, finalLr: 0.1, gamma: 1e-3, eps: 0, form: 'paper', amsbound });
      const w = f32(0);
      opt.step('w', w, f32(2)); // m = 0.2, v = 0.004
      opt.step('w', w, f32(0)); // m = 0.18, v = 0.003996, max 0.004
      return w[0]!;
    };
    const first = (0.01 / Math.sqrt(0.004)) * 0.2;
    expect(run(true)).toBeCloseTo(-first - ((0.01 / Math.sqrt(0.004)) * 0.18) / Math.SQRT2, 6);
    expect(run(false)).toBeCloseTo(-first - ((0.01 / Math.sqrt(0.003996)) * 0.18) / Math.SQRT2, 6);
  });

  it('SGD with α/√t', () => {
    const opt = sgd({ lr: 1, decay: 'sqrt' });
    const w = f32(0);
    opt.step('w', w, f32(1));
    opt.step('w', w, f32(1));
    expect(w[0]).toBeCloseTo(-1 - 1 / Math.SQRT2, 6);
  });

  it('AdaBound clips the step size into [η_l, η_u]', () => {
    // t = 1, γ = 1: η_l = 0.1·(1 − 1/2) = 0.05, η_u = 0.1·2 = 0.2. α/(√v) is huge → η = 0.2; m = 0.1·g.
    const w = f32(0);
    adabound({ lr: 1000, finalLr: 0.1, gamma: 1 }).step('w', w, f32(1));
    expect(w[0]).toBeCloseTo(-0.2 * 0.1, 6);
  });

  it('state is kept per slot', () => {
    const opt = adam({ lr: 0.1 });
    const a = f32(0);
    const b = f32(0);
    opt.step('a', a, f32(1));
    opt.step('b', b, f32(1));
    expect(a[0]).toBe(b[0]);
  });
});

describe('Bop (card claim 5)', () => {
  it('with τ = 0 a weight flips exactly when the gradient EMA has its sign', () => {
    const w = f32(1, 1, -1, -1);
    bop({ threshold: 0, gamma: 1 }).step('w', w, f32(0.3, -0.3, 0.3, -0.3));
    expect(Array.from(w)).toEqual([-1, 1, -1, 1]);
  });

  it('with τ = ∞ nothing ever flips', () => {
    const w = f32(1, -1);
    const opt = bop({ threshold: Infinity, gamma: 1 });
    for (let i = 0; i < 10; i++) opt.step('w', w, f32(100, -100));
    expect(Array.from(w)).toEqual([1, -1]);
  });

  it('the EMA needs several agreeing gradients before crossing τ', () => {
    // γ = 0.5: m = 0.5, 0.75, 0.875 ... crosses τ = 0.8 on the third step.
    const w = f32(1);
    const opt = bop({ threshold: 0.8, gamma: 0.5 });
    opt.step('w', w, f32(1));
    opt.step('w', w, f32(1));
    expect(w[0]).toBe(1);
    opt.step('w', w, f32(1));
    expect(w[0]).toBe(-1);
  });
});

describe('BAMSProd [recon] (card claims 3 and 4)', () => {
  it('bounds: c_l rises from 0, c_u falls from very large, both towards c*', () => {
    const [lo1, hi1] = bamsprodBounds(2, 1, 1e-3);
    expect(lo1).toBeCloseTo(2 * (1 - 1 / 1.001), 12);
    expect(hi1).toBeCloseTo(2 * 1001, 9);
    let [prevLo, prevHi] = [lo1, hi1];
    for (const t of [10, 100, 1e3, 1e4, 1e6]) {
      const [lo, hi] = bamsprodBounds(2, t, 1e-3);
      expect(lo).toBeGreaterThanOrEqual(prevLo);
      expect(hi).toBeLessThanOrEqual(prevHi);
      expect(lo).toBeLessThanOrEqual(2);
      expect(hi).toBeGreaterThanOrEqual(2);
      [prevLo, prevHi] = [lo, hi];
    }
    expect(prevLo).toBeCloseTo(2, 2);
    expect(prevHi).toBeCloseTo(2, 2);
  });

  it('without bounds it equals AMSGrad with α/√t exactly', () => {
    const a = f32(0.3, -0.2, 0.9);
    const b = f32(0.3, -0.2, 0.9);
    const p = bamsprod({ lr: 0.01, bounds: 'none' });
    const q = amsgrad({ lr: 0.01, decay: 'sqrt' });
    for (let t = 0; t < 50; t++) {
      const g = f32(Math.sin(t), Math.cos(t), (t % 3) - 1);
      p.step('w', a, g);
      q.step('w', b, g);
    }
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('the projected second moment sets the step: Ṽ = c_l when v̂ is below it', () => {
    // t = 1, β1 = 0, β2 = 0: v̂ = g² = 1e-6 < c_l = 1·(1 − 1/2) = 0.5 (γ_b = 1) → step = g/√0.5.
    const w = f32(0);
    bamsprod({ lr: 1, beta1: 0, beta2: 0, eps: 0, boundSpeed: 1, target: { constant: 1 } }).step('w', w, f32(1e-3));
    expect(w[0]).toBeCloseTo(-1e-3 / Math.sqrt(0.5), 9);
  });

  it('the quantisation-error level of the card', () => {
    // |w| = 0.5 and 1 → mean|w| = 0.75; (0.75 − 1)² + mean((0.5 − 1)², 0) = 0.0625 + 0.125.
    expect(quantisationErrorLevel(f32(0.5, -1))).toBeCloseTo(0.1875, 9);
  });
});

describe('convex counterexample (card claims 1 and 2)', () => {
  const hyper = { lr: 0.5, beta1: 0, beta2: 0.1, decay: 'sqrt' as const };
  it('Adam ends at +1 with average regret near 2(C − 2)/3', () => {
    const r = runCounterexample(adam(hyper), { c: 3, steps: 100_000 });
    expect(r.finalW).toBeGreaterThanOrEqual(0.99);
    expect(r.averageRegret).toBeCloseTo(2 / 3, 2);
  });

  it('AMSGrad and BAMSProd reach w = −1 with vanishing regret', () => {
    for (const opt of [amsgrad(hyper), bamsprod({ lr: 0.5, beta1: 0, beta2: 0.1 })]) {
      const r = runCounterexample(opt, { c: 3, steps: 100_000 });
      expect(r.finalW).toBeLessThanOrEqual(-0.99);
      expect(r.averageRegret).toBeLessThan(0.01);
    }
  });

  it('regret of a constant iterate is exact: x = +1 gives 2(C − 2)/3 per cycle', () => {
    // An optimizer that never moves keeps x = sign(0) = +1.
    const still = { name: 'still', step() {} };
    expect(runCounterexample(still, { c: 3, steps: 3, w0: 0 }).averageRegret).toBeCloseTo(2 / 3, 12);
    expect(runCounterexample(still, { c: 5, steps: 3, w0: -0.5 }).averageRegret).toBe(0);
  });
});
