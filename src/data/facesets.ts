// Decoded face sets ready for training and evaluation: identity folders, insightface RecordIO
// subsets, verification pairs (.bin or pairs.txt), all as 8-bit NHWC ByteImageSets resized to one
// size (`toImageSet` gives floats). Subsets are the first identities / images in sorted order, so
// they are deterministic without a seed.
import type { ByteImageSet } from './cifar.js';
import { decodeImage } from './images.js';
import { listIdentityFolders, pairImagePath, type PairsDataset } from './pairs.js';
import type { FaceRecordSet } from './recordio.js';
import type { VerificationBin } from './verification-bin.js';
import { join } from 'node:path';

export interface ImageSize {
  width: number;
  height: number;
}

interface FaceSource {
  input: string | Buffer;
  /** File (and record) named in errors. */
  source: string;
  label: number;
}

const DECODE_BATCH = 8;

/** Decodes and resizes every source into one NHWC uint8 array (a few decodes in flight at a time). */
export async function decodeFaceSources(sources: FaceSource[], size: ImageSize, classNames: string[]): Promise<ByteImageSet> {
  const stride = size.width * size.height * 3;
  const pixels = new Uint8Array(sources.length * stride);
  const labels = new Int32Array(sources.length);
  for (let start = 0; start < sources.length; start += DECODE_BATCH) {
    const batch = sources.slice(start, start + DECODE_BATCH);
    const images = await Promise.all(batch.map((s) => decodeImage(s.input, s.source, { channels: 3, size })));
    images.forEach((img, i) => {
      pixels.set(img.data, (start + i) * stride);
      labels[start + i] = batch[i]!.label;
    });
  }
  return { pixels, labels, count: sources.length, height: size.height, width: size.width, channels: 3, classes: classNames.length, classNames };
}

export interface SubsetOptions {
  size: ImageSize;
  /** Keep at most this many identities (the first ones in sorted order). */
  maxIdentities?: number;
  /** Keep at most this many images per identity. */
  maxPerIdentity?: number;
  /** Skip identities with fewer images. */
  minPerIdentity?: number;
}

/** An identity-folder training set (`<root>/<identity>/<image>`), labels 0..k-1 in name order. */
export async function loadIdentityFolderSet(root: string, options: SubsetOptions): Promise<ByteImageSet> {
  const folders = listIdentityFolders(root)
    .filter((f) => f.files.length >= (options.minPerIdentity ?? 1))
    .slice(0, options.maxIdentities ?? Infinity);
  const sources = folders.flatMap((f, label) =>
    f.files.slice(0, options.maxPerIdentity ?? Infinity).map((file) => {
      const path = join(root, f.name, file);
      return { input: path, source: path, label };
    }),
  );
  return decodeFaceSources(
    sources,
    options.size,
    folders.map((f) => f.name),
  );
}

/** A subset of an insightface RecordIO training set, by its identity records (labels renumbered 0..k-1). */
export async function loadFaceRecordSubset(set: FaceRecordSet, options: SubsetOptions): Promise<ByteImageSet> {
  const ids = identityRanges(set);
  const chosen = ids.filter((id) => id.end - id.start >= (options.minPerIdentity ?? 1)).slice(0, options.maxIdentities ?? Infinity);
  const sources: FaceSource[] = [];
  chosen.forEach((id, label) => {
    const last = Math.min(id.end, id.start + (options.maxPerIdentity ?? Infinity));
    for (let key = id.start; key < last; key++) sources.push({ input: set.readImage(key).image, source: `${set.rec.recFile} (record ${key})`, label });
  });
  return decodeFaceSources(
    sources,
    options.size,
    chosen.map((id) => String(id.label)),
  );
}

/** The identities of a RecordIO set: its identity records or, without them, runs of equal labels. */
export function identityRanges(set: FaceRecordSet): FaceRecordSet['identities'] {
  return set.identities.length ? set.identities : groupByLabel(set);
}

/** Without identity records: consecutive image records with the same label form an identity. */
function groupByLabel(set: FaceRecordSet): FaceRecordSet['identities'] {
  const out: FaceRecordSet['identities'] = [];
  for (const key of set.imageKeys) {
    const { label } = set.readImage(key);
    const lastId = out[out.length - 1];
    if (lastId && lastId.label === label && lastId.end === key) lastId.end = key + 1;
    else out.push({ label, start: key, end: key + 1 });
  }
  return out;
}

export interface VerificationPairs {
  /** First and second image of every pair, same order; labels hold the pair index. */
  left: ByteImageSet;
  right: ByteImageSet;
  issame: boolean[];
  /** 0-based fold of every pair (10 folds of consecutive pairs for .bin files, as insightface evaluates). */
  folds: Int32Array;
}

function foldsOf(count: number, folds: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => Math.floor((i * folds) / count));
}

/** The pairs of an insightface .bin, decoded; optionally only the first `maxPairs`. */
export async function loadVerificationBinPairs(bin: VerificationBin, size: ImageSize, maxPairs = Infinity): Promise<VerificationPairs> {
  const n = Math.min(bin.issame.length, maxPairs);
  const side = (k: 0 | 1): FaceSource[] =>
    Array.from({ length: n }, (_, i) => ({ input: bin.images[2 * i + k]!, source: `${bin.file} (image ${2 * i + k})`, label: i }));
  return {
    left: await decodeFaceSources(side(0), size, []),
    right: await decodeFaceSources(side(1), size, []),
    issame: bin.issame.slice(0, n),
    folds: foldsOf(n, 10),
  };
}

/** The pairs of an LFW-format benchmark (LFW, XQLFW, RFW, synthetic), decoded; folds from the file. */
export async function loadPairsDatasetImages(ds: PairsDataset, size: ImageSize, maxPairs = Infinity): Promise<VerificationPairs> {
  const pairs = ds.pairs.pairs.slice(0, maxPairs);
  const side = (m: 'a' | 'b'): FaceSource[] =>
    pairs.map((p, i) => {
      const path = pairImagePath(ds, p, m);
      return { input: path, source: path, label: i };
    });
  return {
    left: await decodeFaceSources(side('a'), size, []),
    right: await decodeFaceSources(side('b'), size, []),
    issame: pairs.map((p) => p.same),
    folds: Int32Array.from(pairs, (p) => p.fold),
  };
}
