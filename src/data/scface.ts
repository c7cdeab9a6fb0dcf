// SCface (Grgic et al. 2011; docs/papers/lrfr.md "SCface"): surveillance_cameras_distance_<d>/cam<c>/
// <sss>_cam<c>_<d>.jpg (subject, camera, distance 1 = 4.20 m, 2 = 2.60 m, 3 = 1.00 m) and mugshots
// mugshot_frontal_cropped_all/<sss>_frontal.JPG (older copies: mugshot_frontal_original_all/).
// Layout and file names confirmed by https://github.com/bioidiap/bob.db.scface
// (bob/db/scface/create.py walks exactly these folders and splits the names on '_'; its protocols use
// cam1-cam5 with distances 1-3, 'far' = distance 1). [recon] cameras 6-7 being infrared comes from
// the card, not from that code. Files are found anywhere under the root; other folders
// (mugshot_rotation_all, ...) do not match the names and are ignored.
import { relative, sep } from 'node:path';
import { requireDatasetDir, walkFiles } from './fileio.js';

export const SCFACE_DISTANCES_M = { 1: 4.2, 2: 2.6, 3: 1.0 } as const;
export const SCFACE_SUBJECTS = 130;

export interface ScfaceImage {
  path: string;
  subject: number;
  kind: 'surveillance' | 'mugshot';
  /** Camera 1-5 (visible) or 6-7 (infrared); 0 for mugshots. */
  camera: number;
  /** Distance 1-3; 0 for mugshots. */
  distance: number;
}

const CROPPED_MUGSHOTS = 'mugshot_frontal_cropped_all';

const SURVEILLANCE = /^(\d{3})_cam(\d)_(\d)\.jpe?g$/i;
const MUGSHOT = /^(\d{3})_frontal\.jpe?g$/i;

/**
 * Parses the SCface file names; other files are ignored and counted. When the cropped mugshot folder
 * is present, mugshots elsewhere (the uncropped originals) are ignored, so each subject has one.
 */
export function loadScface(root: string): { images: ScfaceImage[]; ignored: string[] } {
  requireDatasetDir(root, 'SCface');
  const images: ScfaceImage[] = [];
  const ignored: string[] = [];
  const files = walkFiles(root);
  const inCropped = (path: string): boolean => relative(root, path).split(sep).includes(CROPPED_MUGSHOTS);
  const hasCropped = files.some(inCropped);
  for (const path of files) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const s = SURVEILLANCE.exec(name);
    const m = MUGSHOT.exec(name);
    if (s) images.push({ path, subject: Number(s[1]), kind: 'surveillance', camera: Number(s[2]), distance: Number(s[3]) });
    else if (m && (!hasCropped || inCropped(path))) images.push({ path, subject: Number(m[1]), kind: 'mugshot', camera: 0, distance: 0 });
    else ignored.push(relative(root, path));
  }
  return { images, ignored };
}
