// The paper profile's 6-conv CNN trains through tfjs's tape (gradients registered by src/engine/tf.ts).
import { describe, expect, it } from 'vitest';
import { tf } from '../../../src/engine/tf.js';
import { buildNet } from '../../../src/methods/mda/nets.js';
import { createRng } from '../../../src/core/rng.js';

describe('cnn6 (JoCoR/MDA CIFAR network)', () => {
  it("has the card's layer widths, trains through the tape and keeps BatchNorm running statistics", async () => {
    await tf.setBackend('cpu');
    const rng = createRng(2);
    const net = buildNet({ kind: 'cnn6' }, { height: 8, width: 8, channels: 3 }, 10, rng);
    // 6 × (conv W, conv b, BN γ, BN β) + linear W, b
    expect(net.params).toHaveLength(26);
    expect(net.params.map((p) => p.shape[3]).filter((c) => c !== undefined)).toEqual([64, 64, 128, 128, 196, 16]);
    expect(net.params[24]!.shape).toEqual([16, 10]); // 8x8 input → 1x1x16 after three pools
    const x = tf.tensor4d(
      Float32Array.from({ length: 2 * 8 * 8 * 3 }, () => rng.next()),
      [2, 8, 8, 3],
    );
    const evalBefore = net.apply(x, false).dataSync().slice();
    const pass = await net.trainForward(x);
    expect(pass.logits).toHaveLength(20);
    const dz = Float32Array.from({ length: 20 }, (_, i) => (i % 3) - 1);
    const grads = pass.backward(dz);
    grads.forEach((g, k) => expect(g.shape).toEqual(net.params[k]!.shape));
    // ∂(Σ z ⊙ dz)/∂b_out = Σ over the batch of dz: exact.
    const dbOut = grads[25]!.dataSync();
    for (let k = 0; k < 10; k++) expect(dbOut[k]).toBeCloseTo(dz[k]! + dz[10 + k]!, 5);
    for (const g of grads) expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose(grads);
    net.commitBatchStats();
    const evalAfter = net.apply(x, false).dataSync();
    expect(Array.from(evalAfter)).not.toEqual(Array.from(evalBefore)); // running stats moved
    net.dispose();
    x.dispose();
  });
});
