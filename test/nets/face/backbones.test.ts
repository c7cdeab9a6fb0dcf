import { describe, expect, it } from 'vitest';
import { tf } from '../../../src/engine/tf.js';
import { FACE_NET_PRESETS, createFaceNet, embedImages, mirrorImages } from '../../../src/nets/face/index.js';
import { createHead, defaultHeadConfig } from '../../../src/methods/heads/index.js';

describe('face backbones', () => {
  it('IR net: 16×16 input → 32-d embedding; parameter count from the architecture', () => {
    const net = createFaceNet(FACE_NET_PRESETS.irTiny, 1);
    const y = net.forward(tf.randomNormal([2, 16, 16, 3]) as tf.Tensor4D, false);
    expect(y.shape).toEqual([2, 32]);
    // stem conv 3·3·3·8 + BN 2·8 + PReLU 8
    // block 8→8/2: BN 2·8, conv 9·8·8, PReLU 8, conv 9·8·8, BN 2·8 (max-pool shortcut)
    // block 8→16/2: BN 2·8, conv 9·8·16, PReLU 16, conv 9·16·16, BN 2·16, shortcut conv 8·16 + BN 2·16
    // output: BN 2·16, FC (4·4·16)·32 + 32, BN1d 2·32
    const expected = 216 + 16 + 8 + (16 + 576 + 8 + 576 + 16) + (16 + 1152 + 16 + 2304 + 32 + 128 + 32) + 32 + 256 * 32 + 32 + 64;
    expect(net.parameterCount()).toBe(expected);
    net.dispose();
  });

  it('MobileFaceNet-style net: 32×32 input → 128-d embedding through a global depthwise conv', () => {
    const net = createFaceNet(FACE_NET_PRESETS.mobilefacenetSmall, 2);
    const y = net.forward(tf.randomNormal([3, 32, 32, 3]) as tf.Tensor4D, true);
    expect(y.shape).toEqual([3, 128]);
    net.dispose();
  });

  it('training mode updates BN running statistics; inference is deterministic', () => {
    const net = createFaceNet(FACE_NET_PRESETS.irTiny, 3);
    const before = Array.from(net.state[0]!.dataSync());
    const x = tf.add(tf.randomNormal([4, 16, 16, 3], 0, 1, 'float32', 5), 2) as tf.Tensor4D;
    net.forward(x, true);
    const after = Array.from(net.state[0]!.dataSync());
    expect(after).not.toEqual(before);
    const a = net.forward(x, false).dataSync();
    const b = net.forward(x, false).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    net.dispose();
  });

  it('a few SGD steps with an ArcFace head lower the loss and leak no tensors', () => {
    const net = createFaceNet(FACE_NET_PRESETS.irTiny, 4);
    const head = createHead(defaultHeadConfig('arcface'), 32, 4, 5);
    const x = tf.randomNormal([8, 16, 16, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
    const labels = new Int32Array([0, 1, 2, 3, 0, 1, 2, 3]);
    const opt = tf.train.momentum(0.05, 0.9);
    const step = () => opt.minimize(() => head.loss(net.forward(x, true), labels), true, [...net.variables, ...head.variables]) as tf.Scalar;
    const first = step().dataSync()[0]!;
    const tensors = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 7; i++) {
      const l = step();
      last = l.dataSync()[0]!;
      l.dispose();
    }
    expect(tf.memory().numTensors).toBe(tensors);
    expect(last).toBeLessThan(first);
    net.dispose();
    head.dispose();
  });

  it('embedImages batches and mirrorImages flips columns', async () => {
    const net = createFaceNet(FACE_NET_PRESETS.irTiny, 6);
    const images = new Float32Array(5 * 16 * 16 * 3).map((_, i) => (i % 7) / 7);
    const all = await embedImages(net, images, 5, 2);
    const one = await embedImages(net, images.subarray(4 * 768), 1);
    expect(all.length).toBe(5 * 32);
    expect(Array.from(all.subarray(4 * 32))).toEqual(Array.from(one).map((v) => expect.closeTo(v, 5)));
    const m = mirrorImages(new Float32Array([1, 2, 3, 4]), 1, 2, 1);
    expect(Array.from(m)).toEqual([2, 1, 4, 3]);
    net.dispose();
  });
});
