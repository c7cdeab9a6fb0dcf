import { describe, expect, it } from 'vitest';
import {
  DISTRACTOR_LABEL,
  NO_MATE,
  StreamingIdentification,
  closedSetIdentification,
  cmcFromRanks,
  cosineSimilarityMatrix,
  identificationRanks,
} from '../../src/eval/index.js';
import { createRng } from '../../src/core/rng.js';

const D = DISTRACTOR_LABEL;

describe('cosine similarity matrix', () => {
  it('normalises rows and takes dot products (hand-worked)', () => {
    // probes (3,4)/5 = (0.6, 0.8) and (1, 0); gallery (1,0), (0,2)/2, (-1,0)
    const s = cosineSimilarityMatrix({ data: new Float32Array([3, 4, 1, 0]), n: 2, dim: 2 }, { data: new Float32Array([1, 0, 0, 2, -1, 0]), n: 3, dim: 2 });
    expect([...s].map((v) => Math.round(v * 1e12) / 1e12)).toEqual([0.6, 0.8, -0.6, 1, 0, -1]);
  });
});

describe('identification ranks and CMC (hand-worked)', () => {
  // gallery labels:      0    1    D    0    2
  const galleryLabels = [0, 1, D, 0, 2];
  const probeLabels = [0, 1, 2, 3];
  const scores = [
    [0.5, 0.9, 0.7, 0.6, 0.1], // label 0: best mate 0.6; non-mates 0.9, 0.7 ≥ 0.6 → rank 3
    [0.2, 0.8, 0.8, 0.1, 0.3], // label 1: mate 0.8 ties the distractor's 0.8 → rank 2 (ties against the probe)
    [0.1, 0.2, 0.3, 0.4, 0.9], // label 2: mate 0.9 is the top → rank 1
    [0.9, 0.9, 0.9, 0.9, 0.9], // label 3: no mate in the gallery → NO_MATE
  ].flat();

  it('ranks the best mate, ties counted against the probe', () => {
    expect([...identificationRanks(scores, probeLabels, galleryLabels)]).toEqual([3, 2, 1, NO_MATE]);
  });

  it('does not depend on the order of the gallery', () => {
    const perm = [4, 2, 0, 3, 1];
    const permuted = probeLabels.flatMap((_, i) => perm.map((j) => scores[i * 5 + j]!));
    expect([
      ...identificationRanks(
        permuted,
        probeLabels,
        perm.map((j) => galleryLabels[j]!),
      ),
    ]).toEqual([3, 2, 1, NO_MATE]);
  });

  it('CMC counts mated probes only', () => {
    const { cmc, probes, unmatedProbes } = cmcFromRanks(identificationRanks(scores, probeLabels, galleryLabels), [1, 2, 3, 20]);
    expect(probes).toBe(3);
    expect(unmatedProbes).toBe(1);
    expect(cmc).toEqual([
      { k: 1, accuracy: 1 / 3 },
      { k: 2, accuracy: 2 / 3 },
      { k: 3, accuracy: 1 },
      { k: 20, accuracy: 1 },
    ]);
  });

  it('rejects bad shapes, negative probe labels and bad ranks', () => {
    expect(() => identificationRanks(scores.slice(1), probeLabels, galleryLabels)).toThrow('19 scores for 4 probes × 5 gallery images');
    expect(() => identificationRanks([0.1], [D], [0])).toThrow('probe 0 has label -1');
    expect(() => cmcFromRanks([1], [0])).toThrow('rank 0 is not a positive integer');
  });
});

describe('closed-set identification on embeddings', () => {
  it('a constant embedder gets the worst rank, not a lucky one', () => {
    const ones = (n: number) => ({ data: new Float32Array(2 * n).fill(1), n, dim: 2 });
    const r = closedSetIdentification(ones(2), [0, 1], ones(3), [0, 1, D], [1, 3]);
    expect([...r.ranks]).toEqual([3, 3]);
    expect(r.cmc).toEqual([
      { k: 1, accuracy: 0 },
      { k: 3, accuracy: 1 },
    ]);
    expect(r.galleryImages).toBe(3);
  });

  it('2-d example: angles decide the ranks', () => {
    // probe at 10°, label 7; gallery: label 7 at 50° (cos 40° = 0.766), distractor at 0° (cos 10° = 0.985),
    // label 8 at 90° (cos 80° = 0.174) → one non-mate above the mate → rank 2
    const deg = (a: number) => [Math.cos((a * Math.PI) / 180), Math.sin((a * Math.PI) / 180)];
    const r = closedSetIdentification(
      { data: Float64Array.from(deg(10)), n: 1, dim: 2 },
      [7],
      { data: Float64Array.from([...deg(50), ...deg(0), ...deg(90)]), n: 3, dim: 2 },
      [7, D, 8],
      [1, 2],
    );
    expect([...r.ranks]).toEqual([2]);
    expect(r.cmc.map((c) => c.accuracy)).toEqual([0, 1]);
  });
});

describe('streaming identification', () => {
  it('hand-worked: chunks in any order, ranks beyond maxRank are maxRank + 1', () => {
    const probe = { data: new Float32Array([1, 0]), n: 1, dim: 2 };
    const s = new StreamingIdentification(probe, [0], 2);
    s.add({ data: new Float32Array([0, 1]), n: 1, dim: 2 }, [0]); // mate, cos 0
    s.add({ data: new Float32Array([1, 0, 1, 1]), n: 2, dim: 2 }, [D, 5]); // cos 1 and cos 0.707: both ahead
    const r = s.result([1, 2]);
    expect([...r.ranks]).toEqual([3]); // true rank 3 = maxRank + 1
    expect(r.cmc).toEqual([
      { k: 1, accuracy: 0 },
      { k: 2, accuracy: 0 },
    ]);
    expect(r.galleryImages).toBe(3);
    expect(() => s.result([3])).toThrow('rank 3 > maxRank 2');
  });

  it('agrees with the in-memory ranks on random data (ranks ≤ maxRank exact)', () => {
    const rng = createRng(11);
    const dim = 4;
    const nP = 30;
    const nG = 200;
    const randomMatrix = (n: number) => ({ data: Float64Array.from({ length: n * dim }, () => rng.normal()), n, dim });
    const probes = randomMatrix(nP);
    const gallery = randomMatrix(nG);
    const probeLabels = Array.from({ length: nP }, () => rng.int(12));
    const galleryLabels = Array.from({ length: nG }, (_, j) => (j < 60 ? j % 10 : D)); // labels 10, 11 have no mate
    const exact = closedSetIdentification(probes, probeLabels, gallery, galleryLabels, [1, 5, 20]);
    const maxRank = 20;
    const stream = new StreamingIdentification(probes, probeLabels, maxRank);
    for (let start = 0; start < nG; start += 37) {
      const end = Math.min(nG, start + 37);
      stream.add({ data: gallery.data.subarray(start * dim, end * dim), n: end - start, dim }, galleryLabels.slice(start, end));
    }
    const streamed = stream.result([1, 5, 20]);
    expect([...streamed.ranks]).toEqual([...exact.ranks].map((r) => Math.min(r, maxRank + 1)));
    expect(streamed.cmc).toEqual(exact.cmc);
    expect(streamed.unmatedProbes).toBe(exact.unmatedProbes);
    expect(exact.unmatedProbes).toBe(probeLabels.filter((l) => l >= 10).length);
    expect(exact.unmatedProbes).toBeGreaterThan(0);
    // the example is not degenerate: some probes rank beyond 1 and some beyond 20
    expect(exact.cmc[0]!.accuracy).toBeLessThan(exact.cmc[2]!.accuracy);
    expect([...exact.ranks].some((r) => r > maxRank)).toBe(true);
  });
});
