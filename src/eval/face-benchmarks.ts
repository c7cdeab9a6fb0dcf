// Face benchmark evaluators for the `paper` profiles of `repro sface` and `repro lrfr` (docs/papers/sface.md
// "Evaluation protocol", docs/papers/lrfr.md "Experimental protocol"): each takes a trained net as a
// FaceBatchEmbedder and a dataset location, decodes the images with the data loaders at the net's input
// size, embeds them in batches (only embeddings are kept; TinyFace's distractors are streamed) and
// returns typed results whose `protocol` string names how the number was computed, including every
// [recon] choice, so the CSV note can carry it.
import { InputError } from '../core/errors.js';
import { mirrorImages } from '../nets/face/backbones.js';
import { decodeFaceSources } from '../data/facesets.js';
import { openXqlfw } from '../data/lfw.js';
import { pairImagePath } from '../data/pairs.js';
import { loadScface, SCFACE_DISTANCES_M, SCFACE_SUBJECTS, type ScfaceImage } from '../data/scface.js';
import { loadTinyfacePart } from '../data/tinyface.js';
import { loadVerificationBin } from '../data/verification-bin.js';
import { closedSetIdentification, DISTRACTOR_LABEL, StreamingIdentification, type RankAccuracy } from './identification.js';
import {
  flipSum,
  insightfaceVerification,
  interleavedPairSquaredL2,
  kFoldThresholdAccuracy,
  l2NormalizeRows,
  thresholdGrid,
  VERIFICATION_PROTOCOLS,
  type EmbeddingMatrix,
} from './verification.js';

/**
 * A trained face net: `count` NHWC float images in [0, 1], each size × size × 3 (already the net's
 * input size) → count × dim embeddings, row-major. (Named FaceBatchEmbedder because src/data/pretrained.ts
 * already exports a FaceEmbedder, the pretrained-model wrapper, through the same public index.)
 */
export type FaceBatchEmbedder = (images: Float32Array, count: number) => Promise<Float32Array>;

/** One image to embed: a file path or encoded bytes, and the name errors give it. */
export interface FaceImageSource {
  input: string | Buffer;
  source: string;
}

export interface EmbedOptions {
  /** Images per embedder call (default 64). */
  batchSize?: number;
  /** Also embed the mirrored images (InsightFace flip test-time augmentation). */
  flip?: boolean;
}

export interface EmbeddedChunk {
  /** Index of the chunk's first image in the source list. */
  start: number;
  embeddings: EmbeddingMatrix;
  /** Embeddings of the mirrored images, when `flip` was asked. */
  flipped?: EmbeddingMatrix;
}

const DEFAULT_BATCH = 64;

async function callEmbedder(embed: FaceBatchEmbedder, images: Float32Array, count: number, expectedDim: number | null): Promise<EmbeddingMatrix> {
  const data = await embed(images, count);
  if (data.length === 0 || data.length % count !== 0) throw new Error(`FaceBatchEmbedder returned ${data.length} values for ${count} images (not count × dim)`);
  const dim = data.length / count;
  if (expectedDim !== null && dim !== expectedDim) throw new Error(`FaceBatchEmbedder returned dim ${dim} after dim ${expectedDim} for earlier images`);
  return { data, n: count, dim };
}

/**
 * Decodes (resized to size × size, RGB, /255) and embeds the sources `batchSize` at a time, in order.
 * Only one batch of decoded pixels is alive at a time.
 */
export async function* embedFaceImageChunks(
  embed: FaceBatchEmbedder,
  sources: readonly FaceImageSource[],
  size: number,
  options: EmbedOptions = {},
): AsyncGenerator<EmbeddedChunk> {
  const batch = options.batchSize ?? DEFAULT_BATCH;
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`embedFaceImageChunks: batch size ${batch} is not a positive integer`);
  let dim: number | null = null;
  for (let start = 0; start < sources.length; start += batch) {
    const part = sources.slice(start, start + batch).map((s) => ({ ...s, label: 0 }));
    const bytes = await decodeFaceSources(part, { width: size, height: size }, []);
    const images = new Float32Array(bytes.pixels.length);
    for (let i = 0; i < images.length; i++) images[i] = bytes.pixels[i]! / 255;
    const embeddings = await callEmbedder(embed, images, part.length, dim);
    dim = embeddings.dim;
    const flipped = options.flip ? await callEmbedder(embed, mirrorImages(images, part.length, size, 3), part.length, dim) : undefined;
    yield flipped ? { start, embeddings, flipped } : { start, embeddings };
  }
}

/** All embeddings of the sources (and of their mirrors with `flip`), as n × dim matrices. */
export async function embedFaceImages(
  embed: FaceBatchEmbedder,
  sources: readonly FaceImageSource[],
  size: number,
  options: EmbedOptions = {},
): Promise<{ embeddings: EmbeddingMatrix; flipped?: EmbeddingMatrix }> {
  if (sources.length === 0) throw new Error('embedFaceImages: no images');
  let plain: Float32Array | null = null;
  let mirrored: Float32Array | null = null;
  let dim = 0;
  for await (const chunk of embedFaceImageChunks(embed, sources, size, options)) {
    dim = chunk.embeddings.dim;
    plain ??= new Float32Array(sources.length * dim);
    plain.set(chunk.embeddings.data, chunk.start * dim);
    if (chunk.flipped) {
      mirrored ??= new Float32Array(sources.length * dim);
      mirrored.set(chunk.flipped.data, chunk.start * dim);
    }
  }
  const embeddings = { data: plain!, n: sources.length, dim };
  return mirrored ? { embeddings, flipped: { data: mirrored, n: sources.length, dim } } : { embeddings };
}

/** f(x) + f(mirror(x)) when mirrored embeddings exist, else f(x) (the identification features). */
function fused(e: { embeddings: EmbeddingMatrix; flipped?: EmbeddingMatrix }): EmbeddingMatrix {
  return e.flipped ? flipSum(e.embeddings, e.flipped) : e.embeddings;
}

// ---------------------------------------------------------------------------------------------
// Verification: InsightFace .bin sets and XQLFW

export interface FaceVerificationResult {
  /** 'lfw', 'cfp_fp', 'agedb_30', 'calfw', 'cplfw', … or 'xqlfw'. */
  benchmark: string;
  /** How the accuracy was computed, [recon] choices included (for the CSV note). */
  protocol: string;
  pairs: number;
  /** Mean accuracy over the 10 held-out folds, in [0, 1]. */
  accuracy: number;
  /** Population std of the fold accuracies. */
  std: number;
  foldAccuracies: number[];
  thresholds: number[];
}

export interface VerificationBinOptions extends EmbedOptions {
  /** Evaluate only the first pairs (quick runs; at least 10). Default: all. */
  maxPairs?: number;
}

/**
 * InsightFace 10-fold verification on a `.bin` set (lfw, cfp_fp, agedb_30, calfw, cplfw), exactly as
 * `insightfaceVerification`: flip-summed (default), L2-normalised, squared L2, thresholds 0:0.01:4.
 */
export async function evaluateVerificationBin(
  embed: FaceBatchEmbedder,
  binFile: string,
  size: number,
  options: VerificationBinOptions = {},
): Promise<FaceVerificationResult> {
  const bin = loadVerificationBin(binFile);
  const pairs = Math.min(bin.issame.length, options.maxPairs ?? Infinity);
  if (pairs < 10)
    throw new InputError(`${binFile}: ${pairs} pairs; the 10-fold protocol needs at least 10. Fix: use a complete verification .bin (or a larger maxPairs).`);
  const flip = options.flip ?? true;
  const sources = bin.images.slice(0, 2 * pairs).map((input, i) => ({ input, source: `${binFile} (image ${i})` }));
  const embedded = await embedFaceImages(embed, sources, size, { ...options, flip });
  const result = insightfaceVerification({ ...embedded, issame: bin.issame.slice(0, pairs) });
  // [recon] docs/papers/sface.md "Evaluation protocol" says flip-TTA is common in InsightFace eval but its use in the paper is UNKNOWN.
  const protocol =
    `${VERIFICATION_PROTOCOLS[result.protocol]}; ${size}x${size} input` +
    `; [recon] flip TTA ${flip ? 'on' : 'off'} (its use in the paper is UNKNOWN)` +
    (pairs < bin.issame.length ? `; first ${pairs} of ${bin.issame.length} pairs` : '');
  return {
    benchmark: bin.name,
    protocol,
    pairs,
    accuracy: result.accuracy,
    std: result.std,
    foldAccuracies: result.foldAccuracies,
    thresholds: result.thresholds,
  };
}

/** np.arange(0, 2, 0.001): the XQLFW evaluation grid on cosine distance. */
export const XQLFW_THRESHOLDS = thresholdGrid(0, 2, 0.001);

export interface XqlfwOptions extends EmbedOptions {
  /** `xqlfw_aligned_112/` (default) or the 250x250 `xqlfw/` images. */
  variant?: 'aligned' | 'original';
  maxPairs?: number;
}

/**
 * XQLFW verification as its official code (Martlgap/xqlfw code/evaluate.py, docs/papers/lrfr.md "XQLFW") computes it:
 * cosine distance of the two embeddings (sklearn paired cosine distance ½‖x̂ − ŷ‖² = 1 − cos),
 * same iff distance < t, t on np.arange(0, 2, 0.001) chosen by accuracy on nine of ten contiguous
 * folds (KFold, shuffle=False; the first maximum), mean accuracy of the held-out folds.
 * No flip in that code; `flip: true` flip-sums first. Each distinct image is embedded once.
 */
export async function evaluateXqlfw(embed: FaceBatchEmbedder, root: string, size: number, options: XqlfwOptions = {}): Promise<FaceVerificationResult> {
  const ds = openXqlfw(root, options.variant ?? 'aligned');
  const pairs = ds.pairs.pairs.slice(0, options.maxPairs ?? Infinity);
  if (pairs.length < 10)
    throw new InputError(`${ds.pairs.file}: ${pairs.length} pairs; the 10-fold protocol needs at least 10. Fix: use the complete xqlfw_pairs.txt.`);
  const index = new Map<string, number>();
  const rows: number[] = [];
  for (const pair of pairs) {
    for (const member of ['a', 'b'] as const) {
      const path = pairImagePath(ds, pair, member);
      if (!index.has(path)) index.set(path, index.size);
      rows.push(index.get(path)!);
    }
  }
  const flip = options.flip ?? false;
  const unique = [...index.keys()].map((path) => ({ input: path, source: path }));
  const features = fused(await embedFaceImages(embed, unique, size, { ...options, flip }));
  const normalized = l2NormalizeRows(features);
  const dim = features.dim;
  const interleaved = new Float64Array(rows.length * dim);
  rows.forEach((row, i) => interleaved.set(normalized.subarray(row * dim, (row + 1) * dim), i * dim));
  const squared = interleavedPairSquaredL2(interleaved, rows.length, dim);
  const cosineDistance = squared.map((d) => 0.5 * d);
  const result = kFoldThresholdAccuracy(
    cosineDistance,
    pairs.map((p) => p.same),
    { thresholds: XQLFW_THRESHOLDS, lowerIsSame: true, folds: 10, criterion: 'accuracy' },
  );
  // [recon] That the paper evaluated XQLFW with the official XQLFW code is an assumption (docs/papers/lrfr.md "XQLFW": evaluation code, MIT).
  const protocol =
    `xqlfw-10fold: cosine distance, thresholds 0:0.001:2, accuracy on 9 contiguous folds (Martlgap/xqlfw evaluate.py); ${size}x${size} input, ` +
    `${options.variant === 'original' ? '250x250 original images resized' : 'xqlfw_aligned_112 images'}` +
    `; [recon] flip TTA ${flip ? 'on' : 'off'}; [recon] the paper is assumed to use the official XQLFW evaluation` +
    (pairs.length < ds.pairs.pairs.length ? `; first ${pairs.length} of ${ds.pairs.pairs.length} pairs` : '');
  return {
    benchmark: 'xqlfw',
    protocol,
    pairs: pairs.length,
    accuracy: result.accuracy,
    std: result.std,
    foldAccuracies: result.foldAccuracies,
    thresholds: result.thresholds,
  };
}

// ---------------------------------------------------------------------------------------------
// SCface: rank-1 per distance, gallery = frontal mugshots, probes = visible surveillance cameras

/**
 * The usual SCface split (docs/papers/lrfr.md "Metrics"): 50 subjects to fine-tune, 80 to test. [recon] Which 50 is not
 * fixed by the card (papers often draw them at random); here the first `fineTune` subject numbers.
 */
export function scfaceSplit(fineTune = 50, subjects = SCFACE_SUBJECTS): { fineTune: number[]; test: number[] } {
  if (!Number.isInteger(fineTune) || fineTune < 0 || fineTune >= subjects)
    throw new InputError(`SCface split: ${fineTune} fine-tuning subjects of ${subjects}. Fix: use 0 to ${subjects - 1}.`);
  const all = Array.from({ length: subjects }, (_, i) => i + 1);
  return { fineTune: all.slice(0, fineTune), test: all.slice(fineTune) };
}

export interface ScfaceOptions extends EmbedOptions {
  /** Subject numbers in the test set (gallery and probes). Default scfaceSplit().test (51–130) [recon]. */
  testSubjects?: readonly number[];
  /** Surveillance cameras used as probes; default the visible ones, 1–5. */
  cameras?: readonly number[];
}

export interface ScfaceDistanceResult {
  distance: 1 | 2 | 3;
  metres: number;
  probes: number;
  rank1: number;
}

export interface ScfaceResult {
  benchmark: 'scface';
  protocol: string;
  testSubjects: number[];
  galleryImages: number;
  perDistance: ScfaceDistanceResult[];
  /** Files skipped because a file of the same name was already used (the same image in two folders). */
  duplicateFiles: number;
}

/** One entry per file name (case-insensitive), the first in path order: SCface ships images in several folders. */
function uniqueByName(images: ScfaceImage[]): { kept: ScfaceImage[]; duplicates: number } {
  const seen = new Set<string>();
  const kept: ScfaceImage[] = [];
  for (const img of images) {
    const name = img.path.slice(img.path.lastIndexOf('/') + 1).toLowerCase();
    if (seen.has(name)) continue;
    seen.add(name);
    kept.push(img);
  }
  return { kept, duplicates: images.length - kept.length };
}

/**
 * SCface closed-set identification (docs/papers/lrfr.md "Metrics"): for each distance d1 (4.20 m), d2
 * (2.60 m), d3 (1.00 m), rank-1 of the probes (visible surveillance images of the test subjects at
 * that distance) against a gallery of the test subjects' frontal mugshots.
 */
export async function evaluateScface(embed: FaceBatchEmbedder, root: string, size: number, options: ScfaceOptions = {}): Promise<ScfaceResult> {
  const testSubjects = [...(options.testSubjects ?? scfaceSplit().test)].sort((a, b) => a - b);
  const cameras = options.cameras ?? [1, 2, 3, 4, 5];
  const inTest = new Set(testSubjects);
  const { kept, duplicates } = uniqueByName(loadScface(root).images);
  const gallery = kept.filter((img) => img.kind === 'mugshot' && inTest.has(img.subject));
  const probes = kept.filter((img) => img.kind === 'surveillance' && inTest.has(img.subject) && cameras.includes(img.camera));
  const withMugshot = new Set(gallery.map((img) => img.subject));
  const missing = testSubjects.filter((s) => !withMugshot.has(s));
  if (missing.length > 0) {
    const name = `${String(missing[0]).padStart(3, '0')}_frontal.jpg`;
    throw new InputError(
      `${root}: no frontal mugshot (${name}) for ${missing.length} test subject(s) (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}). Fix: extract the complete SCface mugshot folder, or pass testSubjects that have mugshots.`,
    );
  }
  for (const d of [1, 2, 3]) {
    if (!probes.some((p) => p.distance === d))
      throw new InputError(
        `${root}: no SCface surveillance images <sss>_cam<c>_${d}.jpg for the test subjects and cameras ${cameras.join(',')}. Fix: extract the surveillance_cameras_distance_${d} folder.`,
      );
  }
  const flip = options.flip ?? false;
  const galleryFeatures = fused(
    await embedFaceImages(
      embed,
      gallery.map((g) => ({ input: g.path, source: g.path })),
      size,
      { ...options, flip },
    ),
  );
  const probeFeatures = fused(
    await embedFaceImages(
      embed,
      probes.map((p) => ({ input: p.path, source: p.path })),
      size,
      { ...options, flip },
    ),
  );
  const galleryLabels = gallery.map((g) => g.subject);
  const perDistance = ([1, 2, 3] as const).map((distance) => {
    const rows = probes.flatMap((p, i) => (p.distance === distance ? [i] : []));
    const dim = probeFeatures.dim;
    const data = new Float32Array(rows.length * dim);
    rows.forEach((row, i) => data.set(probeFeatures.data.subarray(row * dim, (row + 1) * dim), i * dim));
    const id = closedSetIdentification(
      { data, n: rows.length, dim },
      rows.map((r) => probes[r]!.subject),
      galleryFeatures,
      galleryLabels,
      [1],
    );
    return { distance, metres: SCFACE_DISTANCES_M[distance], probes: id.probes, rank1: id.cmc[0]!.accuracy };
  });
  const split = options.testSubjects ? `${testSubjects.length} given test subjects` : `test subjects 51-130 (first 50 reserved for fine-tuning)`;
  const protocol =
    `scface-rank1: cosine of L2-normalised embeddings, gallery = frontal mugshots, probes = surveillance cameras ${cameras.join(',')} per distance; ${size}x${size} input, images used as found (no detection/alignment)` +
    `; [recon] ${split} (the card: usually 50 fine-tune / 80 test, whether this paper fine-tunes is UNKNOWN)` +
    `; [recon] flip TTA ${flip ? 'on' : 'off'}; ties against the probe` +
    (duplicates > 0 ? `; ${duplicates} duplicate file names skipped (first path kept)` : '');
  return { benchmark: 'scface', protocol, testSubjects, galleryImages: gallery.length, perDistance, duplicateFiles: duplicates };
}

// ---------------------------------------------------------------------------------------------
// TinyFace: rank-1/5/20, probes against gallery match + distractors

export interface TinyfaceOptions extends EmbedOptions {
  /** Use only the first N distractors in path order (quick runs). Default: all (153,428). */
  maxDistractors?: number;
  /** Ranks of the CMC; default [1, 5, 20]. */
  ranks?: readonly number[];
}

export interface TinyfaceResult {
  benchmark: 'tinyface';
  protocol: string;
  probes: number;
  galleryMatch: number;
  distractorsUsed: number;
  distractorsTotal: number;
  /** Rank-k accuracy for each requested k. */
  cmc: RankAccuracy[];
  /** Probes whose identity has no Gallery_Match image (left out of the accuracies). */
  unmatedProbes: number;
}

/**
 * TinyFace closed-set identification (docs/papers/lrfr.md "TinyFace"; the protocol of the TinyFace release as coded in
 * AdaFace / PFE `DIR_FAR` with FAR = 1): probes = Testing_Set/Probe, gallery = Gallery_Match (labels
 * from the file-name prefix) + Gallery_Distractor (never a match); cosine of L2-normalised embeddings;
 * rank-k = share of probes with a same-identity gallery image among the k most similar.
 * The gallery is streamed through StreamingIdentification, so distractor embeddings are not kept.
 */
export async function evaluateTinyface(embed: FaceBatchEmbedder, root: string, size: number, options: TinyfaceOptions = {}): Promise<TinyfaceResult> {
  const ranks = options.ranks ?? [1, 5, 20];
  const probes = loadTinyfacePart(root, 'probe');
  const match = loadTinyfacePart(root, 'galleryMatch');
  const allDistractors = loadTinyfacePart(root, 'galleryDistractor');
  if (probes.length === 0 || match.length === 0)
    throw new InputError(`${root}: TinyFace Testing_Set/Probe or Gallery_Match has no images. Fix: extract the complete TinyFace archive.`);
  const cap = options.maxDistractors ?? Infinity;
  if (!(cap >= 0)) throw new InputError(`TinyFace: maxDistractors ${cap} is negative. Fix: pass a count ≥ 0.`);
  const distractors = allDistractors.slice(0, cap);
  const labelOf = new Map<string, number>();
  const label = (identity: string | null): number => {
    if (identity === null) return DISTRACTOR_LABEL;
    if (!labelOf.has(identity)) labelOf.set(identity, labelOf.size);
    return labelOf.get(identity)!;
  };
  const flip = options.flip ?? false;
  const embedOptions = { ...options, flip };
  const probeFeatures = fused(
    await embedFaceImages(
      embed,
      probes.map((p) => ({ input: p.path, source: p.path })),
      size,
      embedOptions,
    ),
  );
  const ranker = new StreamingIdentification(
    probeFeatures,
    probes.map((p) => label(p.identity)),
    Math.max(...ranks),
  );
  for (const part of [match, distractors]) {
    const sources = part.map((p) => ({ input: p.path, source: p.path }));
    for await (const chunk of embedFaceImageChunks(embed, sources, size, embedOptions)) {
      const labels = part.slice(chunk.start, chunk.start + chunk.embeddings.n).map((p) => label(p.identity));
      ranker.add(fused(chunk), labels);
    }
  }
  const id = ranker.result(ranks);
  const distractorText =
    distractors.length === allDistractors.length
      ? `all ${allDistractors.length} distractors`
      : `first ${distractors.length} of ${allDistractors.length} distractors (path order)`;
  const protocol =
    `tinyface-cmc: probe vs gallery match + ${distractorText}, cosine of L2-normalised embeddings, rank ${ranks.join('/')} (DIR_FAR closed set); ${size}x${size} input (native LR images upsampled)` +
    `; [recon] identity = file-name prefix (loader layout); [recon] flip TTA ${flip ? 'on' : 'off'}; ties against the probe`;
  return {
    benchmark: 'tinyface',
    protocol,
    probes: id.probes,
    galleryMatch: match.length,
    distractorsUsed: distractors.length,
    distractorsTotal: allDistractors.length,
    cmc: id.cmc,
    unmatedProbes: id.unmatedProbes,
  };
}
