// SCface (Grgic et al. 2011; card lrfr.md "Dataset facts") [recon layout]: JPEG files anywhere under
// the root, named `<sss>_cam<c>_<d>.jpg` (subject, surveillance camera 1-5 visible / 6-7 IR,
// distance 1 = 4.20 m, 2 = 2.60 m, 3 = 1.00 m) and `<sss>_frontal.jpg` mugshots.
import { relative } from 'node:path';
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

const SURVEILLANCE = /^(\d{3})_cam(\d)_(\d)\.jpe?g$/i;
const MUGSHOT = /^(\d{3})_frontal\.jpe?g$/i;

/** Parses the SCface file names; other files are ignored and counted. */
export function loadScface(root: string): { images: ScfaceImage[]; ignored: string[] } {
  requireDatasetDir(root, 'SCface');
  const images: ScfaceImage[] = [];
  const ignored: string[] = [];
  for (const path of walkFiles(root)) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const s = SURVEILLANCE.exec(name);
    const m = MUGSHOT.exec(name);
    if (s) images.push({ path, subject: Number(s[1]), kind: 'surveillance', camera: Number(s[2]), distance: Number(s[3]) });
    else if (m) images.push({ path, subject: Number(m[1]), kind: 'mugshot', camera: 0, distance: 0 });
    else ignored.push(relative(root, path));
  }
  return { images, ignored };
}
