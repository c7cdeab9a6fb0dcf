// The gradient-reversal layer (docs/papers/gabn.md "Adversarial GAM alignment": "implemented with a
// gradient-reversal layer"): identity forward, gradient × (−λ) backward (Ganin & Lempitsky's GRL [std]).
// The discriminator after it minimises its loss; the network before it receives the reversed gradient
// and so maximises the same loss, which makes the maps it produces harder to tell apart by group.
import { tf } from '../../engine/tf.js';

type Tensor = tf.Tensor;

/** y = x forward; ∂L/∂x = −λ · ∂L/∂y backward. λ = 0 cuts the gradient (a stop-gradient). */
export function gradientReversal<T extends Tensor>(x: T, lambda: number): T {
  const reverse = tf.customGrad(((input: Tensor) => ({
    value: tf.clone(input),
    gradFunc: (dy: Tensor) => tf.mul(dy, -lambda),
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return reverse(x) as T;
}
