// The benchmark evaluators on tiny on-disk fixtures laid out as the loaders expect, with a fake
// embedder whose output is known exactly: the mean colour of the left half of the image. Fixture
// images are uniform colours (one per identity) or half/half, so every similarity, threshold and
// rank below is worked out by hand.
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { evaluateScface, evaluateTinyface, evaluateVerificationBin, evaluateXqlfw, scfaceSplit, type FaceBatchEmbedder } from '../../src/eval/index.js';
import { InputError } from '../../src/core/errors.js';
import { pickleProtocol2, tempDir, writeFile } from '../data/fixtures.js';

type Rgb = [number, number, number];
const RED: Rgb = [255, 0, 0];
const GREEN: Rgb = [0, 255, 0];
const BLUE: Rgb = [0, 0, 255];
const YELLOW: Rgb = [255, 255, 0];
const SIZE = 8;

/** A w x h PNG whose left half is `left` and right half `right`. */
function halvesPng(left: Rgb, right: Rgb = left, w = SIZE, h = SIZE): Promise<Buffer> {
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px.set(x < w / 2 ? left : right, 3 * (y * w + x));
  return sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toBuffer();
}

/** The fake net: mean RGB of the left half; records the batch sizes it was called with. */
function leftHalfMeanEmbedder(size: number): { embed: FaceBatchEmbedder; calls: number[] } {
  const calls: number[] = [];
  const embed: FaceBatchEmbedder = async (images, count) => {
    calls.push(count);
    expect(images.length).toBe(count * size * size * 3);
    const out = new Float32Array(count * 3);
    for (let i = 0; i < count; i++) {
      const sum = [0, 0, 0];
      for (let y = 0; y < size; y++) for (let x = 0; x < size / 2; x++) for (let c = 0; c < 3; c++) sum[c] += images[((i * size + y) * size + x) * 3 + c]!;
      for (let c = 0; c < 3; c++) out[i * 3 + c] = sum[c]! / ((size * size) / 2);
    }
    return out;
  };
  return { embed, calls };
}

describe('evaluateVerificationBin (insightface protocol)', () => {
  // 20 pairs = 10 folds of 2. Pair 2f is "same" (one colour twice), pair 2f+1 "different" (red vs
  // green: normalised squared L2 = 2). Pair 0 is the same face mirrored: left red / right green, then
  // left green / right red. Without flip its left halves differ (distance 2, always rejected); with
  // flip both embeddings are red + green (distance 0).
  async function writeBin(): Promise<string> {
    const images: Buffer[] = [await halvesPng(RED, GREEN), await halvesPng(GREEN, RED), await halvesPng(RED), await halvesPng(GREEN)];
    const issame = [true, false];
    for (let f = 1; f < 10; f++) {
      const c = [RED, GREEN, BLUE][f % 3]!;
      images.push(await halvesPng(c), await halvesPng(c), await halvesPng(RED), await halvesPng(GREEN));
      issame.push(true, false);
    }
    return writeFile(join(tempDir('repro-eval-'), 'lfw.bin'), pickleProtocol2(images, issame));
  }

  it('flip-summed: every pair right; embeds in batches, the mirrors too', async () => {
    const file = await writeBin();
    const { embed, calls } = leftHalfMeanEmbedder(SIZE);
    const r = await evaluateVerificationBin(embed, file, SIZE, { batchSize: 16 });
    expect(r.benchmark).toBe('lfw');
    expect(r.pairs).toBe(20);
    expect(r.accuracy).toBe(1);
    expect(r.std).toBe(0);
    expect(r.thresholds).toEqual(Array(10).fill(0.01)); // first grid value accepting distance 0
    expect(calls).toEqual([16, 16, 16, 16, 8, 8]); // 40 images + 40 mirrors in batches of 16
    expect(r.protocol).toContain('insightface-10fold: flip-summed');
    expect(r.protocol).toContain('[recon] flip TTA on');
  });

  it('without flip the mirrored same pair is lost: fold 0 is 1/2, mean 0.95, std 0.15', async () => {
    const file = await writeBin();
    const { embed } = leftHalfMeanEmbedder(SIZE);
    const r = await evaluateVerificationBin(embed, file, SIZE, { flip: false });
    expect(r.foldAccuracies).toEqual([0.5, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(r.accuracy).toBeCloseTo(0.95, 12);
    expect(r.std).toBeCloseTo(0.15, 12); // sqrt((0.45² + 9·0.05²) / 10)
    expect(r.protocol).toContain('insightface-10fold-noflip');
    const few = await evaluateVerificationBin(embed, file, SIZE, { flip: false, maxPairs: 10 });
    expect(few.pairs).toBe(10);
    expect(few.protocol).toContain('first 10 of 20 pairs');
    await expect(evaluateVerificationBin(embed, file, SIZE, { maxPairs: 9 })).rejects.toThrow(InputError);
  });
});

describe('evaluateXqlfw (official XQLFW code: cosine distance, 0:0.001:2, accuracy)', () => {
  // xqlfw_pairs.txt "10 1": per fold one same and one different pair. Identities Red, Green, Blue
  // (uniform images) and Hard, whose image 1 is red and image 2 green (cosine distance 1).
  async function writeXqlfw(): Promise<string> {
    const root = tempDir('repro-eval-');
    const images = join(root, 'xqlfw_aligned_112');
    for (const [name, colours] of [
      ['Red', [RED, RED]],
      ['Green', [GREEN, GREEN]],
      ['Blue', [BLUE, BLUE]],
      ['Hard', [RED, GREEN]],
    ] as const) {
      for (let i = 0; i < colours.length; i++) writeFile(join(images, name, `${name}_000${i + 1}.png`), await halvesPng(colours[i]!));
    }
    const lines = ['10\t1', 'Hard\t1\t2', 'Red\t1\tGreen\t1'];
    const ids = ['Red', 'Green', 'Blue'];
    for (let f = 1; f < 10; f++) lines.push(`${ids[f % 3]}\t1\t2`, `${ids[f % 3]}\t2\t${ids[(f + 1) % 3]}\t1`);
    writeFile(join(root, 'xqlfw_pairs.txt'), `${lines.join('\n')}\n`);
    return root;
  }

  it('the hard same pair fails in fold 0 only; each distinct image is embedded once', async () => {
    const root = await writeXqlfw();
    const { embed, calls } = leftHalfMeanEmbedder(SIZE);
    const r = await evaluateXqlfw(embed, root, SIZE);
    // Same pairs: distance 0; different and Hard: 1 − cos 90° = 1. On nine folds the first maximum
    // is t = 0.001 (accept 0 only); at t > 1 the different pairs would be accepted too.
    expect(r.benchmark).toBe('xqlfw');
    expect(r.pairs).toBe(20);
    expect(r.foldAccuracies).toEqual([0.5, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(r.thresholds).toEqual(Array(10).fill(0.001));
    expect(r.accuracy).toBeCloseTo(0.95, 12);
    expect(r.std).toBeCloseTo(0.15, 12);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(8); // 8 distinct images, no mirrors (flip off)
    expect(r.protocol).toContain('xqlfw-10fold: cosine distance, thresholds 0:0.001:2');
    expect(r.protocol).toContain('[recon] flip TTA off');
  });

  it('a missing pairs image is an InputError naming the pairs line', async () => {
    const root = await writeXqlfw();
    writeFile(join(root, 'xqlfw_pairs.txt'), `Red\t1\t9\n${'Red\t1\t2\n'.repeat(9)}`);
    const { embed } = leftHalfMeanEmbedder(SIZE);
    await expect(evaluateXqlfw(embed, root, SIZE)).rejects.toThrow(`${join(root, 'xqlfw_pairs.txt')}:1: missing image`);
  });
});

describe('evaluateScface (rank-1 per distance, mugshot gallery)', () => {
  // Subjects 1 red, 2 green, 3 blue, 4 yellow (mugshots). Probes (PNG bytes under SCface's .jpg names):
  //   d1: 001_cam1 red ✓, 002_cam1 (200,255,0) → green ✓ (but yellow if subject 4 is in the gallery),
  //       003_cam1 red ✗ (→ subject 1), 003_cam6 blue (infrared camera: not a probe by default)
  //   d2: 001_cam2 red ✓, 002_cam2 green ✓
  //   d3: 001_cam1 green ✗, 002_cam1 green ✓, 003_cam1 blue ✓
  // and a duplicate of 001_cam1_1.jpg in a second folder (skipped).
  async function writeScface(): Promise<string> {
    const root = tempDir('repro-eval-');
    const files: [string, Rgb][] = [
      ['mugshot/001_frontal.jpg', RED],
      ['mugshot/002_frontal.jpg', GREEN],
      ['mugshot/003_frontal.JPG', BLUE],
      ['mugshot/004_frontal.jpg', YELLOW],
      ['all/001_cam1_1.jpg', RED],
      ['d1/001_cam1_1.jpg', RED],
      ['d1/002_cam1_1.jpg', [200, 255, 0]],
      ['d1/003_cam1_1.jpg', RED],
      ['d1/003_cam6_1.jpg', BLUE],
      ['d2/001_cam2_2.jpg', RED],
      ['d2/002_cam2_2.jpg', GREEN],
      ['d3/001_cam1_3.jpg', GREEN],
      ['d3/002_cam1_3.jpg', GREEN],
      ['d3/003_cam1_3.jpg', BLUE],
      ['README.txt', RED],
    ];
    for (const [path, colour] of files) writeFile(join(root, path), await halvesPng(colour));
    return root;
  }

  it('test subjects 1-3: d1 2/3, d2 1, d3 2/3', async () => {
    const root = await writeScface();
    const { embed } = leftHalfMeanEmbedder(SIZE);
    const r = await evaluateScface(embed, root, SIZE, { testSubjects: [3, 1, 2] });
    expect(r.testSubjects).toEqual([1, 2, 3]);
    expect(r.galleryImages).toBe(3);
    expect(r.duplicateFiles).toBe(1);
    expect(r.perDistance).toEqual([
      { distance: 1, metres: 4.2, probes: 3, rank1: 2 / 3 },
      { distance: 2, metres: 2.6, probes: 2, rank1: 1 },
      { distance: 3, metres: 1.0, probes: 3, rank1: 2 / 3 },
    ]);
    expect(r.protocol).toContain('probes = surveillance cameras 1,2,3,4,5');
    expect(r.protocol).toContain('[recon] 3 given test subjects');
  });

  it('the split and the cameras are parameters', async () => {
    const root = await writeScface();
    const { embed } = leftHalfMeanEmbedder(SIZE);
    const withFour = await evaluateScface(embed, root, SIZE, { testSubjects: [1, 2, 3, 4] });
    expect(withFour.perDistance[0]).toEqual({ distance: 1, metres: 4.2, probes: 3, rank1: 1 / 3 }); // 002_cam1_1 → yellow
    const withInfrared = await evaluateScface(embed, root, SIZE, { testSubjects: [1, 2, 3], cameras: [1, 2, 6] });
    expect(withInfrared.perDistance[0]).toEqual({ distance: 1, metres: 4.2, probes: 4, rank1: 3 / 4 });
  });

  it('default split is subjects 51-130; a missing mugshot is an InputError', async () => {
    expect(scfaceSplit()).toEqual({ fineTune: Array.from({ length: 50 }, (_, i) => i + 1), test: Array.from({ length: 80 }, (_, i) => i + 51) });
    const root = await writeScface();
    const { embed } = leftHalfMeanEmbedder(SIZE);
    await expect(evaluateScface(embed, root, SIZE)).rejects.toThrow('no frontal mugshot (051_frontal.jpg) for 80 test subject(s) (51, 52, 53, 54, 55, …)');
    await expect(evaluateScface(embed, root, SIZE, { testSubjects: [1, 5] })).rejects.toThrow(InputError);
  });
});

describe('evaluateTinyface (probe vs gallery match + distractors)', () => {
  // Gallery match 1 red, 2 green, 3 blue. Probes: 1 red, 2 (0,255,128), 3 blue, 4 (no gallery match).
  // Distractors in path order: a red (ties probe 1's mate at cos 1 → rank 2), b cyan (cos 0.949 with
  // probe 2 > its mate's 0.894), c (0,255,200) (cos 0.980 with probe 2). Ranks with all distractors:
  // probe 1 → 2, probe 2 → 3, probe 3 → 1.
  async function writeTinyface(): Promise<string> {
    const root = tempDir('repro-eval-');
    const files: [string, Rgb][] = [
      ['Testing_Set/Probe/1_1.png', RED],
      ['Testing_Set/Probe/2_1.png', [0, 255, 128]],
      ['Testing_Set/Probe/3_1.png', BLUE],
      ['Testing_Set/Probe/4_1.png', YELLOW],
      ['Testing_Set/Gallery_Match/1_2.png', RED],
      ['Testing_Set/Gallery_Match/2_2.png', GREEN],
      ['Testing_Set/Gallery_Match/3_2.png', BLUE],
      ['Testing_Set/Gallery_Distractor/a.png', RED],
      ['Testing_Set/Gallery_Distractor/b.png', [0, 255, 255]],
      ['Testing_Set/Gallery_Distractor/c.png', [0, 255, 200]],
    ];
    for (const [path, colour] of files) writeFile(join(root, path), await halvesPng(colour, colour, 6, 5)); // native LR, upsampled to 8
    return root;
  }

  it('rank-1/2/3 with all distractors, in any batch size', async () => {
    const root = await writeTinyface();
    const { embed, calls } = leftHalfMeanEmbedder(SIZE);
    const r = await evaluateTinyface(embed, root, SIZE, { ranks: [1, 2, 3], batchSize: 2 });
    expect(r.cmc).toEqual([
      { k: 1, accuracy: 1 / 3 },
      { k: 2, accuracy: 2 / 3 },
      { k: 3, accuracy: 1 },
    ]);
    expect(r).toMatchObject({ benchmark: 'tinyface', probes: 3, unmatedProbes: 1, galleryMatch: 3, distractorsUsed: 3, distractorsTotal: 3 });
    expect(Math.max(...calls)).toBe(2);
    const big = await evaluateTinyface(embed, root, SIZE, { ranks: [1, 2, 3] });
    expect(big.cmc).toEqual(r.cmc);
  });

  it('default ranks 1/5/20 and the distractor cap', async () => {
    const root = await writeTinyface();
    const { embed } = leftHalfMeanEmbedder(SIZE);
    const all = await evaluateTinyface(embed, root, SIZE);
    expect(all.cmc).toEqual([
      { k: 1, accuracy: 1 / 3 },
      { k: 5, accuracy: 1 },
      { k: 20, accuracy: 1 },
    ]);
    expect(all.protocol).toContain('all 3 distractors');
    const one = await evaluateTinyface(embed, root, SIZE, { maxDistractors: 1 }); // only a: probe 1 rank 2
    expect(one.cmc[0]).toEqual({ k: 1, accuracy: 2 / 3 });
    expect(one.distractorsUsed).toBe(1);
    expect(one.protocol).toContain('first 1 of 3 distractors');
    const two = await evaluateTinyface(embed, root, SIZE, { maxDistractors: 2, ranks: [1, 2] }); // a, b: ranks 2, 2, 1
    expect(two.cmc).toEqual([
      { k: 1, accuracy: 1 / 3 },
      { k: 2, accuracy: 1 },
    ]);
    const none = await evaluateTinyface(embed, root, SIZE, { maxDistractors: 0 });
    expect(none.cmc[0]).toEqual({ k: 1, accuracy: 1 });
  });
});
