// TinyFace (Cheng, Zhu, Gong, ACCV 2018; docs/papers/lrfr.md "TinyFace"): tinyface.zip holds
// tinyface/Training_Set/<identity>/<image> and tinyface/Testing_Set/{Probe,Gallery_Match,
// Gallery_Distractor}/<identity>_<n>.jpg (distractors have no identity), with the protocol's
// gallery_match_img_ID_pairs.mat and probe_img_ID_pairs.mat in Testing_Set/. Confirmed by AdaFace's
// evaluation code, validation_lq/tinyface_helper.py (read in the fork
// https://github.com/petrusceles/AdaFace of mk-minchul/AdaFace): it reads tinyface/Testing_Set/
// {Probe,Gallery_Match,Gallery_Distractor} and labels a probe or gallery image by the integer before
// the first '_' of its name; public training loaders read Training_Set/<subject_id>/*.jpg as an
// image folder. The .mat ID lists are not read here: the identity is the file-name prefix.
// The dataset folder may be the zip's tinyface/ folder or the folder holding it.
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { corruptFile, requireDatasetDir, walkFiles } from './fileio.js';

export const TINYFACE_COUNTS = { trainIdentities: 2_570, trainImages: 7_804, probe: 3_728, galleryMatch: 4_443, galleryDistractor: 153_428 } as const;

export type TinyfacePart = 'train' | 'probe' | 'galleryMatch' | 'galleryDistractor';

export const TINYFACE_FOLDERS: Record<TinyfacePart, string> = {
  train: 'Training_Set',
  probe: join('Testing_Set', 'Probe'),
  galleryMatch: join('Testing_Set', 'Gallery_Match'),
  galleryDistractor: join('Testing_Set', 'Gallery_Distractor'),
};

export interface TinyfaceImage {
  path: string;
  /** Identity label as in the file name; null for distractors. */
  identity: string | null;
}

const IMAGE = /\.(jpe?g|png)$/i;

/** The folder with Training_Set/ and Testing_Set/: `root`, or `root/tinyface` when the zip was extracted one level up. */
export function tinyfaceRoot(root: string): string {
  requireDatasetDir(root, 'TinyFace');
  const nested = join(root, 'tinyface');
  return !existsSync(join(root, 'Testing_Set')) && existsSync(join(nested, 'Testing_Set')) ? nested : root;
}

export function loadTinyfacePart(datasetRoot: string, part: TinyfacePart): TinyfaceImage[] {
  const root = tinyfaceRoot(datasetRoot);
  const dir = join(root, TINYFACE_FOLDERS[part]);
  if (!existsSync(dir)) throw corruptFile(dir, {}, `missing TinyFace folder ${TINYFACE_FOLDERS[part]}`, 'extract the complete TinyFace archive');
  return walkFiles(dir)
    .filter((p) => IMAGE.test(p))
    .map((path) => {
      if (part === 'galleryDistractor') return { path, identity: null };
      const sub = relative(dir, dirname(path));
      if (part === 'train' && sub && sub !== '.') return { path, identity: sub.split('/')[0]! };
      const name = basename(path);
      const cut = name.indexOf('_');
      if (cut <= 0) throw corruptFile(path, {}, `file name has no '<identity>_' prefix`, 'keep the original TinyFace file names');
      return { path, identity: name.slice(0, cut) };
    });
}
