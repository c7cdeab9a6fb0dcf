// LFW-format verification pairs and identity-folder image layouts (docs/papers/sface.md "LFW"):
// header "folds perFold" (or one count for the dev views), then per fold perFold same-identity lines
// `name n1 n2` and perFold different-identity lines `name1 n1 name2 n2`; image n of `name` is
// `<root>/<name>/<name>_<nnnn>.jpg`. LFW, XQLFW and RFW use this layout, and so do synthetic faces.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { corruptFile, datasetName, readLines, requireDatasetDir } from './fileio.js';
import { quoted } from '../core/text.js';
import { decodeImage, type DecodedImage, type DecodeOptions } from './images.js';
import { InputError } from '../core/errors.js';

/** One image of an identity folder; `index` is 1-based as in the pairs files. */
export interface ImageRef {
  name: string;
  index: number;
}

export interface FacePair {
  a: ImageRef;
  b: ImageRef;
  same: boolean;
  /** 0-based fold; 0 for every pair of a file without a header. */
  fold: number;
  /** 1-based line in the pairs file. */
  line: number;
}

export interface PairsList {
  file: string;
  /** Whether the file starts with a "folds perFold" (or "count") header. */
  header: boolean;
  folds: number;
  /** Same-identity pairs per fold (as many different-identity pairs follow). */
  perFold: number;
  pairs: FacePair[];
}

const PAIR_FORMAT = "expected 'name n1 n2' (same) or 'name1 n1 name2 n2' (different)";

function positiveIndex(file: string, line: number, text: string, field: string): number {
  if (!/^\d+$/.test(field) || Number(field) < 1 || !Number.isSafeInteger(Number(field)))
    throw corruptFile(
      file,
      { line },
      `bad pairs line '${quoted(text)}': image number '${quoted(field)}' is not a positive integer; ${PAIR_FORMAT}`,
      'fix or replace the pairs file',
    );
  return Number(field);
}

/** Parses a pairs file; every line is checked, and a header's pair count must match. */
export function parsePairsFile(file: string, dataset = 'pairs file'): PairsList {
  const lines = readLines(file, dataset);
  if (lines.length === 0) throw corruptFile(file, { line: 1 }, 'empty pairs file');
  let header = false;
  let folds = 1;
  let perFold = 0;
  let body = lines;
  const first = lines[0]!.text.split(/\s+/);
  if (first.length <= 2 && first.every((f) => /^\d+$/.test(f))) {
    header = true;
    if (first.length === 2) [folds, perFold] = first.map(Number) as [number, number];
    else perFold = Number(first[0]);
    body = lines.slice(1);
  }
  const pairs: FacePair[] = body.map(({ line, text }, i) => {
    const f = text.split(/\s+/);
    const fold = header && perFold > 0 ? Math.floor(i / (2 * perFold)) : 0;
    const name = (n: string) => datasetName(file, line, n);
    if (f.length === 3)
      return {
        a: { name: name(f[0]!), index: positiveIndex(file, line, text, f[1]!) },
        b: { name: f[0]!, index: positiveIndex(file, line, text, f[2]!) },
        same: true,
        fold,
        line,
      };
    if (f.length === 4)
      return {
        a: { name: name(f[0]!), index: positiveIndex(file, line, text, f[1]!) },
        b: { name: name(f[2]!), index: positiveIndex(file, line, text, f[3]!) },
        same: false,
        fold,
        line,
      };
    throw corruptFile(file, { line }, `bad pairs line '${quoted(text)}': ${PAIR_FORMAT}`, 'fix or replace the pairs file');
  });
  if (header && pairs.length !== folds * perFold * 2) {
    const lastLine = lines[lines.length - 1]!.line;
    throw corruptFile(
      file,
      { line: lastLine },
      `header promises ${folds} x 2 x ${perFold} = ${folds * perFold * 2} pairs, the file has ${pairs.length}`,
      'the pairs file is truncated; download it again',
    );
  }
  if (!header) perFold = pairs.filter((p) => p.same).length;
  return { file, header, folds, perFold, pairs };
}

export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png'] as const;

/** `<root>/<name>/<name>_<nnnn>.<ext>` for the first extension that exists, else null. */
export function identityImagePath(root: string, ref: ImageRef): string | null {
  const stem = join(root, ref.name, `${ref.name}_${String(ref.index).padStart(4, '0')}`);
  for (const ext of IMAGE_EXTENSIONS) if (existsSync(`${stem}.${ext}`)) return `${stem}.${ext}`;
  return null;
}

export interface IdentityFolder {
  name: string;
  /** Image file names, sorted. */
  files: string[];
}

/** Every identity sub-folder of `root` with its image files, sorted by name. */
export function listIdentityFolders(root: string): IdentityFolder[] {
  const out: IdentityFolder[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const files = readdirSync(join(root, entry.name))
      .filter((f) => /\.(jpe?g|png|bmp)$/i.test(f))
      .sort();
    out.push({ name: entry.name, files });
  }
  return out.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

/** A verification benchmark in identity-folder layout: the images folder and its pairs. */
export interface PairsDataset {
  name: string;
  imagesRoot: string;
  pairs: PairsList;
}

export function openPairsDataset(name: string, imagesRoot: string, pairsFile: string): PairsDataset {
  requireDatasetDir(imagesRoot, name);
  return { name, imagesRoot, pairs: parsePairsFile(pairsFile, name) };
}

/** The path of a pair member, or an InputError naming the pairs line and the missing image. */
export function pairImagePath(ds: PairsDataset, pair: FacePair, member: 'a' | 'b'): string {
  const ref = pair[member];
  const path = identityImagePath(ds.imagesRoot, ref);
  if (!path) {
    throw new InputError(
      `${ds.pairs.file}:${pair.line}: missing image ${join(ds.imagesRoot, ref.name, `${ref.name}_${String(ref.index).padStart(4, '0')}`)}.{${IMAGE_EXTENSIONS.join(',')}}. Fix: the ${ds.name} images are incomplete; extract them again.`,
    );
  }
  return path;
}

/** Checks that every pair resolves to two image files; returns the number of distinct images. */
export function resolveAllPairs(ds: PairsDataset): { pairs: number; images: number } {
  const seen = new Set<string>();
  for (const pair of ds.pairs.pairs) {
    seen.add(pairImagePath(ds, pair, 'a'));
    seen.add(pairImagePath(ds, pair, 'b'));
  }
  return { pairs: ds.pairs.pairs.length, images: seen.size };
}

/** Decodes both images of pair `i`. */
export async function loadPairImages(ds: PairsDataset, i: number, options: DecodeOptions = {}): Promise<[DecodedImage, DecodedImage]> {
  const pair = ds.pairs.pairs[i];
  if (!pair) throw new InputError(`pair ${i} does not exist: ${ds.name} has ${ds.pairs.pairs.length} pairs`);
  const a = pairImagePath(ds, pair, 'a');
  const b = pairImagePath(ds, pair, 'b');
  return [await decodeImage(a, a, options), await decodeImage(b, b, options)];
}
