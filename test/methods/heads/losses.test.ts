import { describe, expect, it } from 'vitest';
import { tf } from '../../../src/engine/tf.js';
import {
  ARCFACE_PARAMS,
  COSFACE_PARAMS,
  NORMFACE_PARAMS,
  SFACE_PARAMS,
  arcfaceLogits,
  arcfaceLoss,
  cosfaceLoss,
  createHead,
  normfaceLoss,
  defaultHeadConfig,
  oneHotLabels,
  sfaceInterWeight,
  sfaceIntraWeight,
  sfaceLoss,
  softmaxLoss,
  stopGradient,
} from '../../../src/methods/heads/index.js';

// Hand computation in float64 from the card's formulas.
type Vec = number[];
const dot = (a: Vec, b: Vec) => a.reduce((s, v, i) => s + v * b[i]!, 0);
const norm = (a: Vec) => Math.sqrt(dot(a, a));
const unit = (a: Vec) => a.map((v) => v / norm(a));
const add = (a: Vec, b: Vec, k = 1) => a.map((v, i) => v + k * b[i]!);
const softmax = (z: Vec) => {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
/** ∂cos θ/∂x = (Ŵ − cos θ · x̂) / ‖x‖ (card "Gradient") */
const dCos = (x: Vec, w: Vec) => add(unit(w), unit(x), -dot(unit(w), unit(x))).map((v) => v / norm(x));

const X: Vec[] = [
  [1, 2, 0.5],
  [-0.3, 0.8, 1.1],
];
const W: Vec[] = [
  [1, 0, 0],
  [0.2, 1, 0.1],
  [0.3, -0.4, 1],
];
const B = [0.1, -0.2, 0.05];
const Y = [1, 2];
const cosOf = (x: Vec) => W.map((w) => dot(unit(w), unit(x)));

function tfLossAndGrad(fn: (x: tf.Tensor2D, w: tf.Tensor2D, oh: tf.Tensor2D) => tf.Scalar) {
  const w = tf.tensor2d(W);
  const oh = oneHotLabels(new Int32Array(Y), 3);
  const x = tf.tensor2d(X);
  const { value, grad } = tf.valueAndGrad((xx: tf.Tensor) => fn(xx as tf.Tensor2D, w, oh))(x);
  return { loss: value.dataSync()[0]!, grad: Array.from(grad.dataSync()) };
}

function expectClose(actual: number[], expected: number[], rel = 2e-4) {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...expected.map(Math.abs));
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!)).toBeLessThanOrEqual(rel * scale));
}

/** CE-based heads: loss = mean −log p_y, ∂L/∂x_i = (1/N) Σ_j (p_j − y_j) ∂logit_j/∂x_i. */
function ceReference(logitsOf: (x: Vec) => Vec, dLogit: (x: Vec, j: number, isTarget: boolean) => Vec) {
  let loss = 0;
  const grad: number[] = [];
  X.forEach((x, i) => {
    const p = softmax(logitsOf(x));
    loss -= Math.log(p[Y[i]!]!) / X.length;
    let g = [0, 0, 0];
    p.forEach((pj, j) => (g = add(g, dLogit(x, j, j === Y[i]), (pj - (j === Y[i] ? 1 : 0)) / X.length)));
    grad.push(...g);
  });
  return { loss, grad };
}

describe('Softmax head', () => {
  it('CE over Wx + b, gradient Wᵀ(p − y)/N', () => {
    const ref = ceReference(
      (x) => W.map((w, j) => dot(w, x) + B[j]!),
      (_x, j) => W[j]!,
    );
    const got = tfLossAndGrad((x, w, oh) => softmaxLoss(x, w, oh, tf.tensor1d(B)));
    expect(got.loss).toBeCloseTo(ref.loss, 5);
    expectClose(got.grad, ref.grad);
  });
});

describe('NormFace head', () => {
  it('logit_j = s·cos θ_j with no margin, s = 64: CosFace at m = 0', () => {
    const { s } = NORMFACE_PARAMS;
    const ref = ceReference(
      (x) => cosOf(x).map((c) => s * c),
      (x, j) => dCos(x, W[j]!).map((v) => s * v),
    );
    const got = tfLossAndGrad((x, w, oh) => normfaceLoss(x, w, oh, NORMFACE_PARAMS));
    expect(got.loss).toBeCloseTo(ref.loss, 3);
    expectClose(got.grad, ref.grad);
    const cosface = tfLossAndGrad((x, w, oh) => cosfaceLoss(x, w, oh, { s, m: 0 }));
    expect(got.loss).toBeCloseTo(cosface.loss, 5);
  });
});

describe('CosFace head', () => {
  it('logit_y = s(cos θ_y − m), s = 64, m = 0.35', () => {
    const { s, m } = COSFACE_PARAMS;
    const ref = ceReference(
      (x) => cosOf(x).map((c, j) => s * (c - (j === Y[X.indexOf(x)] ? m : 0))),
      (x, j) => dCos(x, W[j]!).map((v) => s * v),
    );
    const got = tfLossAndGrad((x, w, oh) => cosfaceLoss(x, w, oh, COSFACE_PARAMS));
    expect(got.loss).toBeCloseTo(ref.loss, 3);
    expectClose(got.grad, ref.grad);
  });
});

describe('ArcFace head', () => {
  const { s, m } = ARCFACE_PARAMS;
  it('adds the angular margin: logit_y = s cos(θ_y + m) for θ_y = 60°', () => {
    const theta = Math.PI / 3;
    const logits = arcfaceLogits(
      tf.tensor2d([[1, 0]]),
      tf.tensor2d([
        [Math.cos(theta), Math.sin(theta)],
        [0, 1],
      ]),
      oneHotLabels(new Int32Array([0]), 2),
      ARCFACE_PARAMS,
    );
    const [target, other] = Array.from(logits.dataSync());
    expect(target).toBeCloseTo(s * Math.cos(theta + m), 3);
    expect(other).toBeCloseTo(0, 4); // s·cos 90°
  });
  it('falls back to s(cos θ_y − m·sin(π − m)) past θ_y = π − m (170°)', () => {
    const theta = (170 * Math.PI) / 180;
    const logits = arcfaceLogits(
      tf.tensor2d([[1, 0]]),
      tf.tensor2d([
        [Math.cos(theta), Math.sin(theta)],
        [0, 1],
      ]),
      oneHotLabels(new Int32Array([0]), 2),
      ARCFACE_PARAMS,
    );
    expect(logits.dataSync()[0]).toBeCloseTo(s * (Math.cos(theta) - Math.sin(Math.PI - m) * m), 3);
  });
  it('loss and gradient: ∂logit_y/∂cos = s(cos m + sin m · cos θ / sin θ)', () => {
    const ref = ceReference(
      (x) => cosOf(x).map((c, j) => (j === Y[X.indexOf(x)] ? s * Math.cos(Math.acos(c) + m) : s * c)),
      (x, j, isTarget) => {
        const c = dot(unit(W[j]!), unit(x));
        const factor = isTarget ? s * (Math.cos(m) + (Math.sin(m) * c) / Math.sqrt(1 - c * c)) : s;
        return dCos(x, W[j]!).map((v) => factor * v);
      },
    );
    // both targets are in the cos(θ + m) branch
    X.forEach((x, i) => expect(cosOf(x)[Y[i]!]!).toBeGreaterThan(Math.cos(Math.PI - m)));
    const got = tfLossAndGrad((x, w, oh) => arcfaceLoss(x, w, oh, ARCFACE_PARAMS));
    expect(got.loss).toBeCloseTo(ref.loss, 3);
    expectClose(got.grad, ref.grad);
  });
});

describe('SFace head', () => {
  const p = SFACE_PARAMS.casia;
  it('re-scaling weights match the card table (s = 64, k = 80, a = 0.87, b = 1.2)', () => {
    expect(sfaceIntraWeight(0.87, p)).toBe(32);
    expect(sfaceInterWeight(1.2, p)).toBe(32);
    expect(sfaceIntraWeight(0.82, p)).toBeCloseTo(1.1511, 4);
    expect(sfaceIntraWeight(0.92, p)).toBeCloseTo(62.8489, 4);
    expect(sfaceIntraWeight(1.0, p)).toBeCloseTo(63.9981, 4);
    expect(sfaceIntraWeight(0.7, p)).toBeCloseTo(0.0001, 4);
    expect(sfaceInterWeight(1.0, p)).toBeCloseTo(63.99999, 4);
    expect(sfaceInterWeight(Math.PI / 2, p)).toBeLessThan(1e-10);
  });

  it('per-training-set values from the official commands', () => {
    expect(SFACE_PARAMS.vggface2).toEqual({ s: 64, k: 80, a: 0.88, b: 1.25 });
    expect(SFACE_PARAMS.ms1mv2).toEqual({ s: 64, k: 80, a: 0.9, b: 1.2 });
  });

  // Angles of the fixed inputs are near a and b so that r varies fast there: a gradient through r
  // would be far from the block-gradient formula.
  const reference = () => {
    let intra = 0;
    let inter = 0;
    const grad: number[] = [];
    X.forEach((x, i) => {
      let g = [0, 0, 0];
      cosOf(x).forEach((c, j) => {
        const theta = Math.acos(c);
        if (j === Y[i]) {
          const r = sfaceIntraWeight(theta, p);
          intra -= (r * c) / X.length;
          g = add(g, dCos(x, W[j]!), -r / X.length);
        } else {
          const r = sfaceInterWeight(theta, p);
          inter += (r * c) / X.length;
          g = add(g, dCos(x, W[j]!), r / X.length);
        }
      });
      grad.push(...g);
    });
    return { intra, inter, grad };
  };

  it('loss = mean(−[r_intra]_b cos θ_y) + mean(Σ_j [r_inter]_b cos θ_j), gradient with r held constant', () => {
    const ref = reference();
    const w = tf.tensor2d(W);
    const oh = oneHotLabels(new Int32Array(Y), 3);
    const parts = sfaceLoss(tf.tensor2d(X), w, oh, p);
    expect(parts.intra.dataSync()[0]).toBeCloseTo(ref.intra, 3);
    expect(parts.inter.dataSync()[0]).toBeCloseTo(ref.inter, 3);
    expect(parts.loss.dataSync()[0]).toBeCloseTo(ref.intra + ref.inter, 3);
    const got = tfLossAndGrad((x, ww, o) => sfaceLoss(x, ww, o, p).loss);
    expectClose(got.grad, ref.grad, 1e-3);
  });

  it('intra gradient does not depend on the negative proxies (no softmax coupling); ArcFace does', () => {
    const oh = oneHotLabels(new Int32Array([0]), 2);
    const x = tf.tensor2d([[0.9, 0.4, 0.2]]);
    const gradFor = (neg: number[], fn: (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Scalar) =>
      Array.from(
        tf
          .grad((xx: tf.Tensor) => fn(xx as tf.Tensor2D, tf.tensor2d([[1, 0.1, 0], neg])))(x)
          .dataSync(),
      );
    const sIntra = (xx: tf.Tensor2D, w: tf.Tensor2D) => sfaceLoss(xx, w, oh, p).intra;
    const arc = (xx: tf.Tensor2D, w: tf.Tensor2D) => arcfaceLoss(xx, w, oh, ARCFACE_PARAMS);
    expect(gradFor([0, 1, 0], sIntra)).toEqual(gradFor([0.7, 0.6, 0], sIntra));
    const a1 = gradFor([0, 1, 0], arc);
    const a2 = gradFor([0.7, 0.6, 0], arc);
    expect(Math.abs(a1[0]! - a2[0]!)).toBeGreaterThan(1e-3);
  });

  it('stopGradient passes the value and blocks the gradient', () => {
    const x = tf.tensor1d([1.5, -2]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(stopGradient(t), t)))(x);
    expect(Array.from(g.dataSync())).toEqual([1.5, -2]); // d/dt [c·t] = c, not 2t
  });
});

describe('head modules', () => {
  it('createHead uses the functional loss with its own proxies', () => {
    for (const kind of ['softmax', 'cosface', 'arcface', 'sface'] as const) {
      const head = createHead(defaultHeadConfig(kind), 3, 4, 7);
      expect(head.weight.shape).toEqual([4, 3]);
      expect(head.variables.length).toBe(kind === 'softmax' ? 2 : 1);
      const loss = head.loss(tf.tensor2d(X), new Int32Array([1, 3]));
      expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
      head.dispose();
    }
  });
});
