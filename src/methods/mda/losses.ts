// Loss terms of Co-teaching, JoCoR and MDA with their gradients w.r.t. the logits, in plain JS on
// [batch × classes] row-major arrays (docs/papers/mda.md "Algorithm as the official code runs it").
// The networks turn these logit gradients into parameter gradients (nets.ts), so training needs no
// autodiff for the losses and works on every tfjs backend.

/** Row-major logits of one batch. */
export interface Logits {
  values: ArrayLike<number>;
  batch: number;
  classes: number;
}

export function logits(values: ArrayLike<number>, batch: number, classes: number): Logits {
  if (values.length !== batch * classes) throw new RangeError(`logits: ${values.length} values for ${batch}×${classes}`);
  return { values, batch, classes };
}

/** log softmax of every row (max-shifted, float64). */
export function logSoftmaxRows(z: Logits): Float64Array {
  const out = new Float64Array(z.batch * z.classes);
  for (let i = 0; i < z.batch; i++) {
    const row = i * z.classes;
    let max = -Infinity;
    for (let k = 0; k < z.classes; k++) max = Math.max(max, z.values[row + k]!);
    let sum = 0;
    for (let k = 0; k < z.classes; k++) sum += Math.exp(z.values[row + k]! - max);
    const lse = max + Math.log(sum);
    for (let k = 0; k < z.classes; k++) out[row + k] = z.values[row + k]! - lse;
  }
  return out;
}

/** A per-sample loss and its gradient: grad[i*K + k] = ∂loss_i/∂z_ik (for each named input). */
export interface PerSample {
  loss: Float64Array;
}

/** CE(z, y) = −log softmax(z)_y per sample (F.cross_entropy, reduce=False); ∂/∂z = softmax(z) − e_y. */
export function crossEntropy(z: Logits, labels: ArrayLike<number>): PerSample & { grad: Float64Array } {
  const logp = logSoftmaxRows(z);
  const loss = new Float64Array(z.batch);
  const grad = new Float64Array(z.batch * z.classes);
  for (let i = 0; i < z.batch; i++) {
    const row = i * z.classes;
    const y = labels[i]!;
    loss[i] = -logp[row + y]!;
    for (let k = 0; k < z.classes; k++) grad[row + k] = Math.exp(logp[row + k]!) - (k === y ? 1 : 0);
  }
  return { loss, grad };
}

/**
 * The code's kl_loss_compute(pred, soft_targets, reduce=False) = Σ_k p_t (log p_t − log p_pred), with
 * p_t = softmax(soft_targets), p_pred = softmax(pred), summed over classes.
 * ∂/∂pred = p_pred − p_t;  ∂/∂soft = p_t ⊙ (d − kl) with d = log p_t − log p_pred.
 */
export function klDivergence(pred: Logits, soft: Logits): PerSample & { gradPred: Float64Array; gradSoft: Float64Array } {
  const logPred = logSoftmaxRows(pred);
  const logTarget = logSoftmaxRows(soft);
  const n = pred.batch * pred.classes;
  const loss = new Float64Array(pred.batch);
  const gradPred = new Float64Array(n);
  const gradSoft = new Float64Array(n);
  for (let i = 0; i < pred.batch; i++) {
    const row = i * pred.classes;
    let kl = 0;
    for (let k = 0; k < pred.classes; k++) kl += Math.exp(logTarget[row + k]!) * (logTarget[row + k]! - logPred[row + k]!);
    loss[i] = kl;
    for (let k = 0; k < pred.classes; k++) {
      const pt = Math.exp(logTarget[row + k]!);
      gradPred[row + k] = Math.exp(logPred[row + k]!) - pt;
      gradSoft[row + k] = pt * (logTarget[row + k]! - logPred[row + k]! - kl);
    }
  }
  return { loss, gradPred, gradSoft };
}

export interface TwoNetPerSample extends PerSample {
  /** ∂loss_i/∂z1_i and ∂loss_i/∂z2_i, row-major. */
  grad1: Float64Array;
  grad2: Float64Array;
}

/**
 * JoCoR's joint loss per sample (loss_jocor; MDA's selection score loss_t):
 * ℓ = (1−λ)·CE(z1,y) + (1−λ)·CE(z2,y) + λ·kl(z1, z2) + λ·kl(z2, z1)  (a symmetric KL co-regulariser).
 */
export function jointLoss(z1: Logits, z2: Logits, labels: ArrayLike<number>, coLambda: number): TwoNetPerSample {
  const ce1 = crossEntropy(z1, labels);
  const ce2 = crossEntropy(z2, labels);
  const kl12 = klDivergence(z1, z2); // pred z1, target z2
  const kl21 = klDivergence(z2, z1); // pred z2, target z1
  const loss = new Float64Array(z1.batch);
  for (let i = 0; i < z1.batch; i++) {
    loss[i] = (1 - coLambda) * (ce1.loss[i]! + ce2.loss[i]!) + coLambda * (kl12.loss[i]! + kl21.loss[i]!);
  }
  const grad1 = new Float64Array(z1.values.length);
  const grad2 = new Float64Array(z1.values.length);
  for (let j = 0; j < grad1.length; j++) {
    grad1[j] = (1 - coLambda) * ce1.grad[j]! + coLambda * (kl12.gradPred[j]! + kl21.gradSoft[j]!);
    grad2[j] = (1 - coLambda) * ce2.grad[j]! + coLambda * (kl21.gradPred[j]! + kl12.gradSoft[j]!);
  }
  return { loss, grad1, grad2 };
}

/** A scalar loss with gradients w.r.t. both networks' logits. */
export interface TwoNetScalar {
  value: number;
  grad1: Float64Array;
  grad2: Float64Array;
}

/**
 * MDA's "mean point" term: MSE(z1, z̄) + MSE(z2, z̄), z̄ = (z1+z2)/2, torch MSELoss (mean over all B×K
 * elements), on every sample. It equals ½·MSE(z1, z2) (docs/papers/mda.md "Claims checkable at small scale" 1); ∂/∂z1 = (z1 − z2)/(B·K).
 */
export function meanPointLoss(z1: Logits, z2: Logits): TwoNetScalar {
  const n = z1.values.length;
  let value = 0;
  const grad1 = new Float64Array(n);
  const grad2 = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const a = z1.values[j]!;
    const b = z2.values[j]!;
    const mean = (a + b) / 2;
    value += (a - mean) ** 2 + (b - mean) ** 2;
    grad1[j] = (a - b) / n;
    grad2[j] = (b - a) / n;
  }
  return { value: value / n, grad1, grad2 };
}

/**
 * MDA's selected-sample term: mean over the selected samples S of CE(z1,y) + CE(z2,y) (no KL).
 * `selected[i]` is 1 for a sample in the global selection. With S empty the code takes the mean of an
 * empty tensor (NaN); here the term is 0, a guard never reached at the forget rates used.
 */
export function selectedCrossEntropy(z1: Logits, z2: Logits, labels: ArrayLike<number>, selected: ArrayLike<number>): TwoNetScalar & { count: number } {
  const ce1 = crossEntropy(z1, labels);
  const ce2 = crossEntropy(z2, labels);
  let count = 0;
  for (let i = 0; i < z1.batch; i++) if (selected[i]) count++;
  const grad1 = new Float64Array(z1.values.length);
  const grad2 = new Float64Array(z1.values.length);
  let value = 0;
  if (count > 0) {
    for (let i = 0; i < z1.batch; i++) {
      if (!selected[i]) continue;
      value += (ce1.loss[i]! + ce2.loss[i]!) / count;
      for (let k = 0; k < z1.classes; k++) {
        const j = i * z1.classes + k;
        grad1[j] = ce1.grad[j]! / count;
        grad2[j] = ce2.grad[j]! / count;
      }
    }
  }
  return { value, grad1, grad2, count };
}

/** MDA's training loss L = L_sel + L_mp on the original (unflipped) images. */
export function mdaLoss(
  z1: Logits,
  z2: Logits,
  labels: ArrayLike<number>,
  selected: ArrayLike<number>,
): TwoNetScalar & { selectedTerm: number; meanPointTerm: number } {
  const sel = selectedCrossEntropy(z1, z2, labels, selected);
  const mp = meanPointLoss(z1, z2);
  const grad1 = new Float64Array(sel.grad1.length);
  const grad2 = new Float64Array(sel.grad1.length);
  for (let j = 0; j < grad1.length; j++) {
    grad1[j] = sel.grad1[j]! + mp.grad1[j]!;
    grad2[j] = sel.grad2[j]! + mp.grad2[j]!;
  }
  return { value: sel.value + mp.value, grad1, grad2, selectedTerm: sel.value, meanPointTerm: mp.value };
}
