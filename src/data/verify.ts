// Structural verifiers of the datasets (used by `repro data verify` and after `repro data fetch`):
// counts against the published ones, shapes, every pair / list entry resolvable, sample decodes.
// A corrupt file throws InputError from its loader (with file and offset or line); a structural
// defect is a 'fail' check; a count that differs from the published one is a 'warn' (a subset or
// another release), never silently accepted.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { CIFAR_COUNTS, loadCifar, type CifarVariant } from './cifar.js';
import { CLOTHING1M_COUNTS, CLOTHING1M_LIST_FILES, loadClothing1m } from './clothing1m.js';
import { corruptFile, datasetRelativePath, readLines, requireFile } from './fileio.js';
import { loadMnistIdx } from './idx.js';
import { decodeFully, imageHeader } from './images.js';
import { LFW_COUNTS, XQLFW_COUNTS, openLfw, openXqlfw } from './lfw.js';
import { listIdentityFolders, resolveAllPairs, type PairsDataset, pairImagePath } from './pairs.js';
import { openFaceRecordSet } from './recordio.js';
import { RFW_GROUPS, RFW_PAIRS_PER_GROUP, buptGroupsRoot, openBuptBalancedface, openRfwGroup } from './rfw.js';
import { RGBD_COUNTS, loadRgbdFolders } from './rgbd.js';
import { SCFACE_SUBJECTS, loadScface } from './scface.js';
import { TINYFACE_COUNTS, loadTinyfacePart, type TinyfacePart } from './tinyface.js';
import { VERIFICATION_BINS, loadVerificationBin } from './verification-bin.js';
import { WIDERFACE_COUNTS, parseFddbEllipses, parseWiderFaceAnnotations } from './widerface.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  check: string;
  status: CheckStatus;
  detail: string;
}

export interface VerifyOptions {
  /** Decode every image fully (all pixels) instead of the headers of a sample. */
  deep?: boolean;
}

export type Verifier = (dir: string, options: VerifyOptions) => Promise<CheckResult[]>;

const SAMPLE = 24;

export function okCheck(check: string, detail: string): CheckResult {
  return { check, status: 'ok', detail };
}

/**
 * A count against the published one: equal is ok, different is a warning (subset / other release),
 * and none at all is a failure: an empty set would pass every other check and fail training later.
 */
export function countCheck(check: string, got: number, published: number | null, file?: string): CheckResult {
  if (got === 0) return { check, status: 'fail', detail: `${file ? `${file}: ` : ''}none${published ? `, published ${published}` : ''}: the set is empty` };
  if (published === null) return okCheck(check, String(got));
  if (got === published) return okCheck(check, `${got} (as published)`);
  return { check, status: 'warn', detail: `${got}, published ${published}: a subset or a different release` };
}

/** Evenly spaced items (all when `deep`). */
export function sampleOf<T>(items: T[], deep: boolean | undefined, n = SAMPLE): T[] {
  if (deep || items.length <= n) return items;
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]!);
}

/** The header of one image, or with `deep` all its pixels; a corrupt one throws InputError naming `source`. */
function checkImage(input: string | Buffer, source: string, options: VerifyOptions): Promise<{ width: number; height: number }> {
  return options.deep ? decodeFully(input, source) : imageHeader(input, source);
}

/** Decodes sample images (all of them, fully, with `deep`); a corrupt one throws InputError naming it. */
async function decodeSample(check: string, paths: string[], options: VerifyOptions): Promise<CheckResult> {
  if (paths.length === 0) return { check, status: 'fail', detail: 'no images to decode: the set is empty' };
  const chosen = sampleOf(paths, options.deep);
  const sizes = new Map<string, number>();
  for (const p of chosen) {
    const h = await checkImage(p, p, options);
    const key = `${h.width}x${h.height}`;
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  const summary = [...sizes].map(([k, v]) => `${k} (${v})`).join(', ');
  return okCheck(check, `${chosen.length} of ${paths.length} images ${options.deep ? 'fully decoded' : 'decoded'}${summary ? `: ${summary}` : ''}`);
}

export const verifyMnist: Verifier = async (dir) => {
  const out: CheckResult[] = [];
  for (const [split, published] of [
    ['train', 60_000],
    ['test', 10_000],
  ] as const) {
    const set = loadMnistIdx(dir, split);
    out.push(countCheck(`${split} images`, set.count, published));
    out.push(
      set.height === 28 && set.width === 28
        ? okCheck(`${split} shape`, '28x28')
        : { check: `${split} shape`, status: 'fail', detail: `${set.height}x${set.width}, expected 28x28` },
    );
  }
  return out;
};

export function cifarVerifier(variant: CifarVariant): Verifier {
  return async (dir) => {
    const out: CheckResult[] = [];
    for (const split of ['train', 'test'] as const) {
      const set = loadCifar(dir, variant, split);
      out.push(countCheck(`${split} images`, set.count, CIFAR_COUNTS[split]));
      const seen = new Set(set.labels).size;
      out.push(
        seen === set.classes
          ? okCheck(`${split} classes`, `${seen} present`)
          : { check: `${split} classes`, status: 'warn', detail: `${seen} of ${set.classes} classes present` },
      );
    }
    return out;
  };
}

async function pairsChecks(ds: PairsDataset, published: { pairs: number; folds?: number } | null, options: VerifyOptions, label = ''): Promise<CheckResult[]> {
  const resolved = resolveAllPairs(ds);
  const out = [
    countCheck(`${label}pairs`, resolved.pairs, published?.pairs ?? null),
    okCheck(`${label}pairs resolvable`, `all ${resolved.pairs} pairs resolve to ${resolved.images} image files`),
  ];
  if (published?.folds !== undefined) out.push(countCheck(`${label}folds`, ds.pairs.folds, published.folds));
  const paths = ds.pairs.pairs.flatMap((p) => [pairImagePath(ds, p, 'a'), pairImagePath(ds, p, 'b')]);
  out.push(await decodeSample(`${label}images decode`, [...new Set(paths)], options));
  return out;
}

export const verifyLfw: Verifier = async (dir, options) => {
  const ds = openLfw(dir);
  const ids = listIdentityFolders(dir);
  return [
    countCheck('identities', ids.length, LFW_COUNTS.identities),
    countCheck(
      'images',
      ids.reduce((n, i) => n + i.files.length, 0),
      LFW_COUNTS.images,
    ),
    ...(await pairsChecks(ds, { pairs: LFW_COUNTS.pairs, folds: LFW_COUNTS.folds }, options)),
  ];
};

export const verifyXqlfw: Verifier = async (dir, options) => pairsChecks(openXqlfw(dir), { pairs: XQLFW_COUNTS.pairs }, options);

export const verifyRfw: Verifier = async (dir, options) => {
  const out: CheckResult[] = [];
  for (const group of RFW_GROUPS) out.push(...(await pairsChecks(openRfwGroup(dir, group), { pairs: RFW_PAIRS_PER_GROUP }, options, `${group}: `)));
  return out;
};

/** insightface training folder: train.rec/.idx/property, plus any verification .bin files. */
export function faceRecordVerifier(published: { identities: number | null; images: number | null }): Verifier {
  return async (dir, options) => {
    const set = openFaceRecordSet(dir);
    try {
      const out: CheckResult[] = [countCheck('images', set.imageKeys.length, published.images, set.rec.recFile)];
      if (set.identities.length) {
        out.push(
          set.identities.length === set.classes
            ? okCheck('identities', `${set.identities.length} identity records = property classes`)
            : { check: 'identities', status: 'fail', detail: `${set.identities.length} identity records, property says ${set.classes}` },
        );
        out.push(countCheck('identities (published)', set.identities.length, published.identities));
      }
      const keys = sampleOf(set.imageKeys, options.deep);
      let wrongSize = 0;
      for (const key of keys) {
        const { image } = set.readImage(key);
        const h = await checkImage(image, `${set.rec.recFile} (record ${key})`, options);
        if (h.width !== set.width || h.height !== set.height) wrongSize++;
      }
      out.push(
        wrongSize === 0
          ? okCheck('records decode', `${keys.length} of ${set.imageKeys.length} records decode to ${set.width}x${set.height}`)
          : { check: 'records decode', status: 'fail', detail: `${wrongSize} of ${keys.length} images are not ${set.width}x${set.height} (property)` },
      );
      for (const [name, pairs] of Object.entries(VERIFICATION_BINS)) {
        const file = join(dir, `${name}.bin`);
        if (!existsSync(file)) continue;
        const bin = loadVerificationBin(file);
        out.push(countCheck(`${name}.bin pairs`, bin.issame.length, pairs));
        const chosen = sampleOf([...bin.images.keys()], options.deep, 4);
        for (const i of chosen) await checkImage(bin.images[i]!, `${file} (image ${i})`, options);
        out.push(okCheck(`${name}.bin decode`, `${chosen.length} of ${bin.images.length} images decoded`));
      }
      return out;
    } finally {
      set.rec.close();
    }
  };
}

export const verifyScface: Verifier = async (dir, options) => {
  const { images, ignored } = loadScface(dir);
  if (images.length === 0) return [{ check: 'images', status: 'fail', detail: `no '<sss>_cam<c>_<d>.jpg' or '<sss>_frontal.jpg' files under ${dir}` }];
  const subjects = new Set(images.map((i) => i.subject)).size;
  const byDistance = [1, 2, 3].map((d) => `d${d}: ${images.filter((i) => i.distance === d).length}`).join(', ');
  return [
    countCheck('subjects', subjects, SCFACE_SUBJECTS),
    okCheck(
      'images',
      `${images.length} (${byDistance}, mugshots: ${images.filter((i) => i.kind === 'mugshot').length}); ${ignored.length} other files ignored`,
    ),
    await decodeSample(
      'images decode',
      images.map((i) => i.path),
      options,
    ),
  ];
};

export const verifyTinyface: Verifier = async (dir, options) => {
  const out: CheckResult[] = [];
  const published: Record<TinyfacePart, number> = {
    train: TINYFACE_COUNTS.trainImages,
    probe: TINYFACE_COUNTS.probe,
    galleryMatch: TINYFACE_COUNTS.galleryMatch,
    galleryDistractor: TINYFACE_COUNTS.galleryDistractor,
  };
  for (const part of Object.keys(published) as TinyfacePart[]) {
    const images = loadTinyfacePart(dir, part);
    out.push(countCheck(`${part} images`, images.length, published[part]));
    if (part === 'train') out.push(countCheck('train identities', new Set(images.map((i) => i.identity)).size, TINYFACE_COUNTS.trainIdentities));
    out.push(
      await decodeSample(
        `${part} decode`,
        images.map((i) => i.path),
        options,
      ),
    );
  }
  return out;
};

export const verifyClothing1m: Verifier = async (dir, options) => {
  for (const f of CLOTHING1M_LIST_FILES) requireFile(join(dir, f), 'Clothing1M');
  const out: CheckResult[] = [];
  const published = {
    noisyTrain: null,
    cleanTrain: CLOTHING1M_COUNTS.cleanTrain,
    cleanVal: CLOTHING1M_COUNTS.cleanVal,
    cleanTest: CLOTHING1M_COUNTS.cleanTest,
  } as const;
  for (const split of Object.keys(published) as (keyof typeof published)[]) {
    const { samples } = loadClothing1m(dir, split);
    out.push(countCheck(`${split} samples`, samples.length, published[split]));
    const checked = split === 'noisyTrain' ? sampleOf(samples, options.deep, 1000) : samples;
    const missing = checked.filter((s) => !existsSync(s.path));
    if (missing.length)
      throw new InputError(
        `${missing[0]!.path}: missing image of Clothing1M ${split} (${missing.length} of ${checked.length} checked are missing). Fix: extract every images/*.tar part.`,
      );
    out.push(okCheck(`${split} images present`, `${checked.length} of ${samples.length} checked`));
    out.push(
      await decodeSample(
        `${split} decode`,
        samples.map((s) => s.path),
        options,
      ),
    );
  }
  return out;
};

export const verifyWiderFace: Verifier = async (dir, options) => {
  const out: CheckResult[] = [];
  for (const split of ['train', 'val'] as const) {
    const file = join(dir, 'wider_face_split', `wider_face_${split}_bbx_gt.txt`);
    const images = parseWiderFaceAnnotations(file);
    const root = join(dir, `WIDER_${split}`, 'images');
    for (const img of images) {
      if (!existsSync(join(root, img.path)))
        throw corruptFile(file, { line: img.line }, `missing image ${join(root, img.path)}`, `extract WIDER_${split}.zip into ${dir}`);
    }
    out.push(countCheck(`${split} images`, images.length, WIDERFACE_COUNTS[split]));
    out.push(okCheck(`${split} faces`, String(images.reduce((n, i) => n + i.boxes.length, 0))));
    out.push(
      await decodeSample(
        `${split} decode`,
        images.map((i) => join(root, i.path)),
        options,
      ),
    );
  }
  return out;
};

export const FDDB_COUNTS = { images: 2_845, faces: 5_171, folds: 10 } as const;

export const verifyFddb: Verifier = async (dir, options) => {
  let images = 0;
  let faces = 0;
  const paths: string[] = [];
  for (let fold = 1; fold <= FDDB_COUNTS.folds; fold++) {
    const file = join(dir, 'FDDB-folds', `FDDB-fold-${String(fold).padStart(2, '0')}-ellipseList.txt`);
    for (const img of parseFddbEllipses(file)) {
      const path = join(dir, `${img.path}.jpg`);
      if (!existsSync(path)) throw corruptFile(file, { line: img.line }, `missing image ${path}`, `extract originalPics.tar.gz into ${dir}`);
      paths.push(path);
      images++;
      faces += img.boxes.length;
    }
  }
  return [countCheck('images', images, FDDB_COUNTS.images), countCheck('faces', faces, FDDB_COUNTS.faces), await decodeSample('images decode', paths, options)];
};

export function rgbdVerifier(dataset: string, published: number): Verifier {
  return async (dir, options) => {
    const set = loadRgbdFolders(dir, dataset);
    if (set.samples.length === 0)
      return [
        {
          check: 'colour/depth pairs',
          status: 'fail',
          detail: `no colour image with a depth partner under ${dir} (expected per-subject folders with 'color'/'rgb' and 'depth' in the paths)`,
        },
      ];
    const unpaired = set.unpairedColour.length + set.unpairedDepth.length;
    const out: CheckResult[] = [
      countCheck('subjects', set.subjects.length, published),
      okCheck('colour/depth pairs', String(set.samples.length)),
      unpaired
        ? {
            check: 'unpaired files',
            status: 'warn',
            detail: `${set.unpairedColour.length} colour and ${set.unpairedDepth.length} depth files have no partner (first: ${[...set.unpairedColour, ...set.unpairedDepth][0]})`,
          }
        : okCheck('unpaired files', '0'),
    ];
    out.push(
      await decodeSample(
        'colour decode',
        set.samples.map((s) => s.colour),
        options,
      ),
    );
    out.push(
      await decodeSample(
        'depth decode',
        set.samples.map((s) => s.depth),
        options,
      ),
    );
    return out;
  };
}

export const verifyLock3dface = rgbdVerifier('Lock3DFace', RGBD_COUNTS.lock3dface.subjects);
export const verifyIiitd = rgbdVerifier('IIIT-D RGB-D', RGBD_COUNTS.iiitd.subjects);

/** BUPT-Balancedface: identities and images of each of the four groups (layout in rfw.ts). */
export const verifyBuptBalancedface: Verifier = async (dir, options) => {
  const groups = openBuptBalancedface(dir);
  const groupsRoot = buptGroupsRoot(dir);
  const out: CheckResult[] = [];
  const paths: string[] = [];
  for (const g of RFW_GROUPS) {
    const ids = groups[g];
    const images = ids.reduce((n, id) => n + id.files.length, 0);
    if (ids.length === 0 || images === 0) out.push({ check: `${g} identities`, status: 'fail', detail: `no identity folders with images in group ${g}` });
    else out.push(okCheck(`${g} identities`, `${ids.length} identities, ${images} images`));
    for (const id of sampleOf(ids, options.deep, 6)) if (id.files[0]) paths.push(join(groupsRoot, g, id.name, id.files[0]));
  }
  out.push(await decodeSample('images decode', paths, options));
  return out;
};

export const PRIVACY_COMMONS_LISTS = ['privacy_train_v3_10.lst', 'privacy_test_v3_5.lst', 'common_distractor.lst'];

/** Privacy-Commons (docs/papers/ga.md "Dataset facts") [recon: each .lst line names an image path relative to the folder]. */
export const verifyPrivacyCommons: Verifier = async (dir, options) => {
  const out: CheckResult[] = [];
  const all: string[] = [];
  for (const list of PRIVACY_COMMONS_LISTS) {
    const file = join(dir, list);
    const lines = readLines(file, 'Privacy-Commons');
    for (const { line, text } of lines) {
      const path = text.split(/\s+/).find((f) => /\.(jpe?g|png)$/i.test(f));
      if (!path) throw corruptFile(file, { line }, `no image path in '${text}'`);
      const full = join(dir, datasetRelativePath(file, line, path));
      if (!existsSync(full)) throw corruptFile(file, { line }, `missing image ${full}`, 'extract the complete Privacy-Commons archive here');
      all.push(full);
    }
    out.push(okCheck(`${list} entries`, String(lines.length)));
  }
  out.push(await decodeSample('images decode', all, options));
  return out;
};
