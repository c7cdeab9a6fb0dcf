// TinyFace (Cheng, Zhu, Gong, ACCV 2018; card lrfr.md "Dataset facts") [recon layout]:
// Training_Set/ and Testing_Set/{Probe,Gallery_Match,Gallery_Distractor}/; the identity is the
// file-name prefix before the first '_' (or, in Training_Set, the sub-folder name when there is one).
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

export function loadTinyfacePart(root: string, part: TinyfacePart): TinyfaceImage[] {
  requireDatasetDir(root, 'TinyFace');
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
