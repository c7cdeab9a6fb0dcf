// "Only ACW is trained, the backbones stay frozen" (docs/papers/acw.md "What is certain" 3; card claim 5):
// copies of a backbone's weights before fusion training, and the number of values that differ after.
import type { tf } from '../../engine/tf.js';

export function snapshotWeights(tensors: readonly tf.Tensor[]): Float32Array[] {
  return tensors.map((t) => Float32Array.from(t.dataSync()));
}

/** Values that are not bit-identical (compared as 32-bit patterns, so −0 ≠ 0 and NaN = NaN). */
export function changedValues(before: readonly Float32Array[], after: readonly Float32Array[]): number {
  if (before.length !== after.length) return Math.max(before.length, after.length) * 1e9;
  let changed = 0;
  before.forEach((b, k) => {
    const a = after[k]!;
    if (a.length !== b.length) {
      changed += Math.max(a.length, b.length);
      return;
    }
    const ba = new Uint32Array(b.buffer, b.byteOffset, b.length);
    const aa = new Uint32Array(a.buffer, a.byteOffset, a.length);
    for (let i = 0; i < ba.length; i++) if (ba[i] !== aa[i]) changed++;
  });
  return changed;
}
