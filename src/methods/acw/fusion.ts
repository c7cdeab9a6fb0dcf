// Adaptive Confidence Weighting (docs/papers/acw.md "ACW fusion", [recon]: the paper's equations are
// UNKNOWN; this is the card's reading):
//   s_m   = cos(e_m^p, e_m^g)                      per-modality score
//   c_m^x = h_m(e_m^x) ∈ (0, 1)                    h_m: MLP([ê, standardised log‖e‖]) → sigmoid
//   c_m   = c_m^p · c_m^g                          pair confidence
//   w_m   = exp(c_m/T) / Σ_m' exp(c_m'/T)          softmax over modalities (T = 1, the card's value)
//   s     = Σ_m w_m · s_m                          fused score
// Training (the card's first option): binary cross-entropy on σ(γ(s − t)) against same/different
// labels of pairs from the paired training split, γ and t learnable; only the heads (and γ, t) are
// trained, from precomputed embeddings: the backbones are never handed to the optimiser.
import { createRng, type Rng } from '../../core/rng.js';
import { tf } from '../../engine/tf.js';

/** One modality's embeddings, n × dim row-major (raw backbone outputs, not normalised). */
export interface ModalityEmbeddings {
  data: Float32Array;
  n: number;
  dim: number;
}

export interface ConfidenceHead {
  dim: number;
  hidden: number;
  /** Trainable weights. */
  variables: tf.Variable[];
  /** Per-sample confidence c ∈ (0, 1), tensor form (for training). */
  forward(normalised: tf.Tensor2D, logNorm: tf.Tensor2D): tf.Tensor1D;
  /** Standardisation of log‖e‖ (fixed from the training split). */
  normStats: { mean: number; std: number };
  dispose(): void;
}

/** L2-normalised rows and standardised log norms of an embedding matrix. */
export function embeddingFeatures(
  e: ModalityEmbeddings,
  stats?: { mean: number; std: number },
): { unit: Float32Array; logNorm: Float32Array; stats: { mean: number; std: number } } {
  const unit = new Float32Array(e.n * e.dim);
  const raw = new Float32Array(e.n);
  for (let i = 0; i < e.n; i++) {
    let s = 0;
    for (let d = 0; d < e.dim; d++) s += e.data[i * e.dim + d]! ** 2;
    const norm = Math.sqrt(s) || 1e-12;
    raw[i] = Math.log(norm);
    for (let d = 0; d < e.dim; d++) unit[i * e.dim + d] = e.data[i * e.dim + d]! / norm;
  }
  let st = stats;
  if (!st) {
    const mean = raw.reduce((a, b) => a + b, 0) / Math.max(1, e.n);
    const std = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, e.n)) || 1;
    st = { mean, std };
  }
  const logNorm = raw.map((v) => (v - st.mean) / st.std);
  return { unit, logNorm, stats: st };
}

/** h_m: Dense(dim+1 → hidden, ReLU) → Dense(hidden → 1) → sigmoid; Glorot-uniform weights from `seed`. */
export function createConfidenceHead(dim: number, hidden: number, normStats: { mean: number; std: number }, seed: number): ConfidenceHead {
  const rng = createRng(seed);
  const glorot = (fanIn: number, fanOut: number) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return tf.variable(
      tf.tensor2d(
        Float32Array.from({ length: fanIn * fanOut }, () => (2 * rng.next() - 1) * limit),
        [fanIn, fanOut],
      ),
    );
  };
  const w1 = glorot(dim + 1, hidden);
  const b1 = tf.variable(tf.zeros([hidden]));
  const w2 = glorot(hidden, 1);
  const b2 = tf.variable(tf.zeros([1]));
  return {
    dim,
    hidden,
    variables: [w1, b1, w2, b2],
    normStats,
    forward(normalised, logNorm) {
      return tf.tidy(() => {
        const x = tf.concat([normalised, logNorm], 1);
        const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
        return tf.reshape(tf.sigmoid(tf.add(tf.matMul(h, w2), b2)), [-1]) as tf.Tensor1D;
      });
    },
    dispose() {
      for (const v of [w1, b1, w2, b2]) v.dispose();
    },
  };
}

/** Per-sample confidences of a head on an embedding matrix (inference). */
export function confidences(head: ConfidenceHead, e: ModalityEmbeddings): Float32Array {
  const f = embeddingFeatures(e, head.normStats);
  return tf.tidy(() => head.forward(tf.tensor2d(f.unit, [e.n, e.dim]), tf.tensor2d(f.logNorm, [e.n, 1])).dataSync() as Float32Array);
}

/** Softmax weights over modalities from pair confidences c_m (w_m = exp(c_m/T)/Σ exp(c_m'/T)). */
export function modalityWeights(pairConfidence: readonly number[], temperature = 1): number[] {
  const z = pairConfidence.map((c) => c / temperature);
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Row-normalised cosine matrix probes × gallery of one modality (float64). */
export function cosineMatrix(probes: ModalityEmbeddings, gallery: ModalityEmbeddings): Float64Array {
  if (probes.dim !== gallery.dim) throw new RangeError(`cosineMatrix: dims ${probes.dim} and ${gallery.dim}`);
  const p = embeddingFeatures(probes).unit;
  const g = embeddingFeatures(gallery).unit;
  const out = new Float64Array(probes.n * gallery.n);
  for (let i = 0; i < probes.n; i++)
    for (let j = 0; j < gallery.n; j++) {
      let s = 0;
      for (let d = 0; d < probes.dim; d++) s += p[i * probes.dim + d]! * g[j * probes.dim + d]!;
      out[i * gallery.n + j] = s;
    }
  return out;
}

export interface FusedScores {
  /** probes × gallery fused scores. */
  scores: Float64Array;
  /** probes × gallery weight of each modality (weights[m][i·G + j]). */
  weights: Float64Array[];
}

/**
 * ACW score fusion of M modalities from their cosine matrices and per-sample confidences:
 * c_m = c_m^p[i]·c_m^g[j], w = softmax(c/T), s = Σ w_m·cos_m.
 */
export function acwFuse(cos: readonly Float64Array[], probeConf: readonly Float32Array[], galleryConf: readonly Float32Array[], temperature = 1): FusedScores {
  const M = cos.length;
  const P = probeConf[0]!.length;
  const G = galleryConf[0]!.length;
  const scores = new Float64Array(P * G);
  const weights = Array.from({ length: M }, () => new Float64Array(P * G));
  for (let i = 0; i < P; i++)
    for (let j = 0; j < G; j++) {
      const w = modalityWeights(
        Array.from({ length: M }, (_, m) => probeConf[m]![i]! * galleryConf[m]![j]!),
        temperature,
      );
      let s = 0;
      for (let m = 0; m < M; m++) {
        s += w[m]! * cos[m]![i * G + j]!;
        weights[m]![i * G + j] = w[m]!;
      }
      scores[i * G + j] = s;
    }
  return { scores, weights };
}

/** Fixed-weight score fusion (mean fusion: equal weights). */
export function weightedScoreFusion(cos: readonly Float64Array[], weights: readonly number[] = cos.map(() => 1 / cos.length)): Float64Array {
  const out = new Float64Array(cos[0]!.length);
  cos.forEach((c, m) => {
    for (let k = 0; k < out.length; k++) out[k] = out[k]! + weights[m]! * c[k]!;
  });
  return out;
}

/** A training pair of sample indices of the paired split. */
export interface SamplePair {
  a: number;
  b: number;
  same: boolean;
}

/** All same-identity pairs and as many different-identity pairs, drawn without repeats from `rng`. */
export function balancedPairs(labels: Int32Array, rng: Rng): SamplePair[] {
  const pairs: SamplePair[] = [];
  for (let a = 0; a < labels.length; a++) for (let b = a + 1; b < labels.length; b++) if (labels[a] === labels[b]) pairs.push({ a, b, same: true });
  const genuine = pairs.length;
  const seen = new Set<number>();
  const n = labels.length;
  let guard = 0;
  while (pairs.length < 2 * genuine && guard++ < 100 * genuine + 1000) {
    const a = rng.int(n);
    const b = rng.int(n);
    if (a === b || labels[a] === labels[b]) continue;
    const key = Math.min(a, b) * n + Math.max(a, b);
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push({ a, b, same: false });
  }
  return pairs;
}

export interface AcwTrainOptions {
  hidden: number;
  epochs: number;
  lr: number;
  /** L2 penalty on the head weights. */
  weightDecay: number;
  temperature: number;
  seed: number;
}

export interface AcwModel {
  heads: ConfidenceHead[];
  gamma: number;
  threshold: number;
  temperature: number;
  losses: number[];
  dispose(): void;
}

/**
 * Trains one confidence head per modality on pairs of the paired split (full batch, Adam). Only the
 * heads and (γ, t) are variables of the optimiser; embeddings come in as data.
 */
export function trainAcw(embeddings: readonly ModalityEmbeddings[], labels: Int32Array, o: AcwTrainOptions): AcwModel {
  const rng = createRng(o.seed);
  const pairs = balancedPairs(labels, rng);
  if (pairs.length === 0) throw new RangeError('trainAcw: the paired split has no same-identity pair');
  const feats = embeddings.map((e) => embeddingFeatures(e));
  const heads = embeddings.map((e, m) => createConfidenceHead(e.dim, o.hidden, feats[m]!.stats, rng.seed()));
  const cosPairs = embeddings.map((e, m) => {
    const u = feats[m]!.unit;
    return Float32Array.from(pairs, ({ a, b }) => {
      let s = 0;
      for (let d = 0; d < e.dim; d++) s += u[a * e.dim + d]! * u[b * e.dim + d]!;
      return s;
    });
  });
  // t starts at the mean fused (equal-weight) score of the training pairs, γ at 10.
  const meanScore = cosPairs.reduce((acc, c) => acc + c.reduce((x, y) => x + y, 0) / c.length, 0) / cosPairs.length;
  const gamma = tf.variable(tf.scalar(10));
  const threshold = tf.variable(tf.scalar(meanScore));
  const target = tf.tensor1d(pairs.map((p) => (p.same ? 1 : 0)));
  const ia = tf.tensor1d(
    pairs.map((p) => p.a),
    'int32',
  );
  const ib = tf.tensor1d(
    pairs.map((p) => p.b),
    'int32',
  );
  const inputs = embeddings.map((e, m) => ({ unit: tf.tensor2d(feats[m]!.unit, [e.n, e.dim]), logNorm: tf.tensor2d(feats[m]!.logNorm, [e.n, 1]) }));
  const cosT = cosPairs.map((c) => tf.tensor1d(c));
  const trainable = [...heads.flatMap((h) => h.variables), gamma, threshold];
  const decayed = heads.flatMap((h) => [h.variables[0]!, h.variables[2]!]);
  const optimizer = tf.train.adam(o.lr);
  const losses: number[] = [];
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const loss = optimizer.minimize(
      () =>
        tf.tidy(() => {
          const pairConf = heads.map((h, m) => {
            const c = h.forward(inputs[m]!.unit, inputs[m]!.logNorm);
            return tf.mul(tf.gather(c, ia), tf.gather(c, ib));
          });
          const w = tf.softmax(tf.div(tf.stack(pairConf, 1), o.temperature)) as tf.Tensor2D; // pairs × M
          const s = tf.sum(tf.mul(w, tf.stack(cosT, 1)), 1);
          const logits = tf.mul(gamma, tf.sub(s, threshold));
          const bce = tf.losses.sigmoidCrossEntropy(target, logits);
          const l2 = tf.addN(decayed.map((v) => tf.sum(tf.square(v))));
          return tf.add(bce, tf.mul(l2, o.weightDecay)) as tf.Scalar;
        }),
      true,
      trainable,
    )!;
    losses.push(loss.dataSync()[0]!);
    loss.dispose();
  }
  const result = { gamma: gamma.dataSync()[0]!, threshold: threshold.dataSync()[0]! };
  optimizer.dispose();
  tf.dispose([gamma, threshold, target, ia, ib, ...cosT, ...inputs.flatMap((x) => [x.unit, x.logNorm])]);
  return {
    heads,
    ...result,
    temperature: o.temperature,
    losses,
    dispose() {
      for (const h of heads) h.dispose();
    },
  };
}

/** ACW scores of probes against a gallery with a trained model (modalities in training order). */
export function acwScores(model: AcwModel, probes: readonly ModalityEmbeddings[], gallery: readonly ModalityEmbeddings[]): FusedScores {
  const cos = probes.map((p, m) => cosineMatrix(p, gallery[m]!));
  return acwFuse(
    cos,
    model.heads.map((h, m) => confidences(h, probes[m]!)),
    model.heads.map((h, m) => confidences(h, gallery[m]!)),
    model.temperature,
  );
}
