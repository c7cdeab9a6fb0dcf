// InsightFace verification sets (lfw.bin, cfp_fp.bin, agedb_30.bin, calfw.bin, cplfw.bin;
// docs/papers/sface.md "LFW"): a pickle of (bins, issame_list), 2N encoded images (pairs in sequence) and N
// booleans, written by insightface's lfw2pack.py with pickle.HIGHEST_PROTOCOL (2 under Python 2).
import { basename } from 'node:path';
import { readFileSync } from 'node:fs';
import { corruptFile, requireFile } from './fileio.js';
import { decodeImage, type DecodedImage, type DecodeOptions } from './images.js';
import { PickleTuple, readPickle } from './pickle.js';

export interface VerificationBin {
  file: string;
  /** Name without extension, e.g. 'lfw', 'cfp_fp'. */
  name: string;
  /** Encoded images (JPEG or PNG); pair i is images[2i], images[2i+1]. */
  images: Buffer[];
  issame: boolean[];
}

/** The standard sets in an insightface dataset folder, with their pair counts. */
export const VERIFICATION_BINS: Record<string, number> = {
  lfw: 6_000,
  cfp_fp: 7_000,
  cfp_ff: 7_000,
  agedb_30: 6_000,
  calfw: 6_000,
  cplfw: 6_000,
};

export function loadVerificationBin(file: string): VerificationBin {
  requireFile(file, 'insightface verification set');
  const value = readPickle(readFileSync(file), file);
  if (!(value instanceof PickleTuple) || value.items.length !== 2 || !Array.isArray(value.items[0]) || !Array.isArray(value.items[1])) {
    throw corruptFile(file, { offset: 0 }, 'the pickle is not a tuple (list of image bytes, list of bool)', 'use an insightface verification .bin file');
  }
  const [bins, flags] = value.items as [unknown[], unknown[]];
  const images = bins.map((b, i) => {
    if (!Buffer.isBuffer(b)) throw corruptFile(file, {}, `item ${i} of the image list is not a byte string`);
    return b;
  });
  const issame = flags.map((f, i) => {
    if (typeof f === 'boolean') return f;
    if (f === 0 || f === 1) return f === 1;
    throw corruptFile(file, {}, `item ${i} of the issame list is not a boolean`);
  });
  if (images.length !== 2 * issame.length) {
    throw corruptFile(file, {}, `${images.length} images for ${issame.length} pairs; expected ${2 * issame.length}`);
  }
  return { file, name: basename(file).replace(/\.bin$/, ''), images, issame };
}

/** Decodes image `i` of a verification set. */
export function decodeBinImage(set: VerificationBin, i: number, options: DecodeOptions = {}): Promise<DecodedImage> {
  return decodeImage(set.images[i]!, `${set.file} (image ${i})`, options);
}
