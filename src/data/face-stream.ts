// Training images read per batch instead of held in memory: CASIA-WebFace has ~490K images, 74 GB as
// floats at 112x112. A FaceImageStream lists (record key, label) pairs up front and decodes only the
// images a batch asks for, with sharp (its decodes run on libuv threads, so a batch read can overlap
// the previous training step).
import { decodeImage } from './images.js';
import { identityRanges, type SubsetOptions } from './facesets.js';
import type { FaceRecordSet } from './recordio.js';

/** Labelled square RGB face images, decoded on demand as NHWC floats in [0, 1]. */
export interface FaceImageStream {
  count: number;
  /** Side of the decoded images. */
  size: number;
  channels: 3;
  /** Identities; labels are 0..classes-1. */
  classes: number;
  labels: Int32Array;
  /** The images at `indices` (positions in 0..count-1), resized to size x size. */
  read(indices: readonly number[]): Promise<Float32Array>;
}

/**
 * Every image of an insightface RecordIO training set (or the identities `options` keep), labels
 * renumbered 0..k-1 in identity order, resized to `size` on decode.
 */
export function faceRecordStream(set: FaceRecordSet, size: number, options: Omit<SubsetOptions, 'size'> = {}): FaceImageStream {
  const chosen = identityRanges(set)
    .filter((id) => id.end - id.start >= (options.minPerIdentity ?? 1))
    .slice(0, options.maxIdentities ?? Infinity);
  const keys: number[] = [];
  const labels: number[] = [];
  chosen.forEach((id, label) => {
    const last = Math.min(id.end, id.start + (options.maxPerIdentity ?? Infinity));
    for (let key = id.start; key < last; key++) {
      keys.push(key);
      labels.push(label);
    }
  });
  const per = size * size * 3;
  return {
    count: keys.length,
    size,
    channels: 3,
    classes: chosen.length,
    labels: Int32Array.from(labels),
    async read(indices) {
      const out = new Float32Array(indices.length * per);
      const decoded = await Promise.all(
        indices.map((i) => {
          const key = keys[i]!;
          return decodeImage(set.readImage(key).image, `${set.rec.recFile} (record ${key})`, { channels: 3, size: { width: size, height: size } });
        }),
      );
      decoded.forEach((image, k) => {
        for (let j = 0; j < per; j++) out[k * per + j] = image.data[j]! / 255;
      });
      return out;
    },
  };
}
