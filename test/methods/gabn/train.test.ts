// The GABN training loop, the measurements, the premise renders and the picture, on tiny inputs.
import { describe, expect, it } from 'vitest';
import { silentProgress } from '../../../src/core/progress.js';
import { generateFaceSet } from '../../../src/data/synth3dmm/index.js';
import { tf } from '../../../src/engine/tf.js';
import { makeVerificationPairs } from '../../../src/methods/face/index.js';
import {
  attentionGridPng,
  createGabnNet,
  embedWithGabnNet,
  groupProbeAccuracy,
  heatColour,
  matchedToneRenders,
  methodSpec,
  recolourFace,
  runGabnExperiment,
  toneGain,
  trainGabn,
  type GabnTrainOptions,
  type GroupedFaceSet,
} from '../../../src/methods/gabn/index.js';

const set = generateFaceSet({ ids: 8, perId: 3, seed: 5, size: 16 });
const train: GroupedFaceSet = { images: set.images, labels: set.labels, groups: set.groups, count: set.count, size: 16, classes: set.classes };
const options: Omit<GabnTrainOptions, 'method'> = {
  net: { inputSize: 16, widths: [8], embeddingDim: 16 },
  head: { kind: 'arcface', params: { s: 16, m: 0.5 } },
  epochs: 1,
  batchSize: 8,
  lr: 0.1,
  seed: 3,
  groups: 4,
  discriminatorHidden: 8,
  gamWeights: 'detached',
};
const erase = { cells: 2, weight: 1, fill: 'mean' as const, groups: 'all' as const };

describe('trainGabn', () => {
  it('trains baseline, GABN and the second-order variant with finite losses; the same seed gives the same weights', async () => {
    const baseline = await trainGabn(train, { ...options, method: methodSpec('baseline', 0.1, erase) });
    const again = await trainGabn(train, { ...options, method: methodSpec('baseline', 0.1, erase) });
    const gabn = await trainGabn(train, { ...options, method: methodSpec('gabn', 0.1, erase) });
    const full = await trainGabn(train, { ...options, gamWeights: 'full', method: { adversarial: 0.1, erase: { ...erase, groups: [3] } } });
    try {
      for (const m of [baseline, gabn, full]) {
        expect(m.steps).toBe(3);
        expect(m.epochLosses.every(Number.isFinite)).toBe(true);
        expect(m.discriminatorAccuracy.every((a) => a >= 0 && a <= 100)).toBe(true);
      }
      expect(gabn.epochLosses[0]).toBeGreaterThan(baseline.epochLosses[0]!); // the extra x_mask term
      const w = (m: typeof baseline) => Array.from(m.net.variables[0]!.dataSync());
      expect(w(again)).toEqual(w(baseline));
      expect(w(gabn)).not.toEqual(w(baseline));
      expect(methodSpec('adversarial', 0.3, erase)).toEqual({ adversarial: 0.3, erase: null });
      expect(methodSpec('erasing', 0.3, erase)).toEqual({ adversarial: 0, erase });
    } finally {
      for (const m of [baseline, again, gabn, full]) m.dispose();
    }
  });

  it('embeds 8-bit and float images alike, and mirrored images as the mirror', async () => {
    const net = createGabnNet({ inputSize: 16, widths: [8], embeddingDim: 16 }, 1);
    const bytes = Uint8Array.from(set.images.subarray(0, 2 * 16 * 16 * 3), (v) => Math.round(v * 255));
    const floats = Float32Array.from(bytes, (v) => v / 255);
    expect(Array.from(await embedWithGabnNet(net, bytes, 2))).toEqual(Array.from(await embedWithGabnNet(net, floats, 2)));
    const mirrored = tf.tidy(() => tf.reverse(tf.tensor4d(floats, [2, 16, 16, 3]), 2).dataSync() as Float32Array);
    const a = await embedWithGabnNet(net, floats, 2, true);
    const b = await embedWithGabnNet(net, mirrored, 2);
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));
    net.dispose();
  });
});

describe('measurements', () => {
  it('runs the experiment end to end per group, and a probe on separable maps beats chance', async () => {
    const test = generateFaceSet({ ids: 80, perId: 2, seed: 5, size: 16, firstId: 1000 });
    const loadGroup = async (g: number) => {
      const rows = Array.from(test.groups.keys()).filter((i) => test.groups[i] === g);
      const px = 16 * 16 * 3;
      const images = new Float32Array(rows.length * px);
      rows.forEach((r, k) => images.set(test.images.subarray(r * px, (r + 1) * px), k * px));
      const labels = Int32Array.from(rows, (r) => Math.floor(test.labels[r]! / 4));
      return {
        images,
        count: rows.length,
        size: 16,
        pairs: makeVerificationPairs(labels, 20, 1, 10, 1),
        identities: labels,
        mapRows: Int32Array.from(rows.keys()),
      };
    };
    const results = await runGabnExperiment(
      train,
      4,
      loadGroup,
      { train: options, methods: ['baseline', 'gabn'], adversarial: 0.1, erase, seeds: [1], probe: { hidden: 8, steps: 5, lr: 0.01 } },
      silentProgress,
    );
    expect(results.map((r) => `${r.method}@${r.seed}`)).toEqual(['baseline@1', 'gabn@1']);
    for (const r of results) {
      expect(r.accuracy).toHaveLength(4);
      expect(r.fairness.std).toBeGreaterThanOrEqual(0);
      expect(r.meanMaps.map((m) => m.length)).toEqual([64, 64, 64, 64]);
      expect(r.areas.every((a) => a >= 0 && a <= 1)).toBe(true);
    }
    // Two groups with maps that differ: group 0 attends left, group 1 right.
    const maps = new Float32Array(40 * 4);
    const groups = Int32Array.from({ length: 40 }, (_, i) => i % 2);
    for (let i = 0; i < 40; i++) maps.set(groups[i] ? [0, 1, 0, 1] : [1, 0, 1, 0], i * 4);
    expect(
      await groupProbeAccuracy(
        maps,
        4,
        groups,
        Int32Array.from({ length: 40 }, (_, i) => i),
        2,
        { hidden: 8, steps: 100, lr: 0.05, seed: 1 },
      ),
    ).toBe(100);
  }, 60_000);
});

describe('premise renders and picture', () => {
  it('re-tints only the face pixels: gain 1 keeps the render, darker tones lower the face', () => {
    expect(toneGain(2, 2)).toEqual([1, 1, 1]);
    expect(toneGain(0, 3).every((g) => g < 1)).toBe(true);
    const rgb = Uint8Array.from([200, 150, 100, 10, 20, 30]);
    const mask = Uint8Array.from([1, 0]);
    Array.from(recolourFace(rgb, mask, [1, 1, 1])).forEach((v, i) => expect(v).toBeCloseTo(rgb[i]! / 255, 5));
    const dark = recolourFace(rgb, mask, toneGain(0, 3));
    expect(dark[0]).toBeLessThan(200 / 255);
    expect(Array.from(dark.subarray(3)).map((v) => Math.round(v * 255))).toEqual([10, 20, 30]);
    const r = matchedToneRenders({ seed: 1, ids: 1, perId: 1, size: 32, firstId: 0 });
    expect(r.count).toBe(4);
    expect(Array.from(r.tone)).toEqual([0, 1, 2, 3]);
    const px = 32 * 32 * 3;
    const mean = (t: number) => r.images.subarray(t * px, (t + 1) * px).reduce((a, b) => a + b, 0);
    expect(mean(3)).toBeLessThan(mean(0)); // the same face, darker
  });

  it('writes a deterministic PNG grid of the maps', async () => {
    const maps = [
      [new Float32Array([0, 0.5, 1, 0.25]), new Float32Array(4)],
      [new Float32Array(4).fill(1), new Float32Array([1, 0, 0, 1])],
    ];
    const a = await attentionGridPng(maps, { grid: 2, cellPx: 3, gap: 1 });
    expect(Array.from(a.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(a.buffer, a.byteOffset);
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([2 * 6 + 3, 2 * 6 + 3]);
    expect(Array.from(await attentionGridPng(maps, { grid: 2, cellPx: 3, gap: 1 }))).toEqual(Array.from(a));
    expect(heatColour(0)).toEqual([0, 0, 0]);
    expect(heatColour(1)).toEqual([255, 255, 255]);
    await expect(attentionGridPng([[new Float32Array(3)]], { grid: 2 })).rejects.toThrow(RangeError);
  });
});
