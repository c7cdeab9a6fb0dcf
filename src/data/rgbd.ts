// RGB-D face sets (docs/papers/acw.md "Dataset facts"): Lock3DFace (509 subjects, Kinect V2) and IIIT-D
// RGB-D (~106 subjects, Kinect v1) keep colour and depth images separately. A file is colour or depth
// by a token in its path ('color'/'colour'/'rgb' vs 'depth', any case); the two images of one sample
// have the same path once that token (and the extension) is removed.
// Subject: a Lock3DFace clip folder `<sss>_Kinect_<NU|FE|PS|OC|TM>_<k>` gives subject <sss> and the
// condition (as dw-dengwei/rgbd-face reads Lock3DFace: clip folders like 002_Kinect_NU_1 with RGB and
// DEPTH in the folder names, https://github.com/dw-dengwei/rgbd-face); otherwise the first folder
// under the root that is not a modality folder (RGB/, depth/, ...).
// [recon] the layout of the raw Lock3DFace and IIIT-D downloads is not published; the rules above
// read the layouts public code uses, and `repro data verify` reports what paired.
// The folders `repro data synth` writes are read too: OUT/<name>/<name>_<nnnn>.png (colour, no
// token) with OUT/<name>/depth/<name>_<nnnn>.png (16-bit depth) — a file without a token is colour
// when a depth file has its pairing key (see src/data/synth3dmm/folder.ts).
import { relative, sep } from 'node:path';
import { requireDatasetDir, walkFiles } from './fileio.js';
import { decodeDepth, decodeImage, type DecodedImage } from './images.js';

export const RGBD_COUNTS = {
  lock3dface: { subjects: 509, sequences: 5_671 },
  iiitd: { subjects: 106, images: 4_600 },
} as const;

export interface RgbdSample {
  subject: string;
  /** Lock3DFace condition from the clip folder name (NU, FE, PS, OC, TM); absent otherwise. */
  condition?: string;
  /** Lock3DFace session from the clip folder name (`001_Kinect_NU_1COLOR` → 1); absent otherwise. */
  session?: number;
  /** Relative path with the modality token removed (the pairing key). */
  key: string;
  colour: string;
  depth: string;
}

export interface RgbdSet {
  root: string;
  samples: RgbdSample[];
  subjects: string[];
  /** Files of one modality without a partner (relative paths). */
  unpairedColour: string[];
  unpairedDepth: string[];
}

const IMAGE = /\.(png|jpe?g|bmp|tiff?)$/i;
const DEPTH = /depth/i;
const COLOUR = /colou?r|rgb/i;

const LOCK3DFACE_CLIP = /^(\d+)_Kinect_([A-Za-z]{2})_(\d+)/i;
const MODALITY_FOLDER = /^(depth|colou?r|rgb|images?)$/i;

/** Subject (and Lock3DFace condition) of a relative path, by the rules in the header. */
function subjectOf(rel: string): { subject: string; condition?: string; session?: number } {
  const folders = rel.split('/').slice(0, -1);
  for (const f of folders) {
    const clip = LOCK3DFACE_CLIP.exec(f);
    if (clip) return { subject: clip[1]!, condition: clip[2]!.toUpperCase(), session: Number(clip[3]) };
  }
  return { subject: folders.find((f) => !MODALITY_FOLDER.test(f)) ?? folders[0]! };
}

function modality(rel: string): 'colour' | 'depth' | null {
  if (DEPTH.test(rel)) return 'depth';
  if (COLOUR.test(rel)) return 'colour';
  return null;
}

/** The path without extension and modality tokens (and the separators and empty folders they leave). */
function pairingKey(rel: string): string {
  return rel
    .replace(/\.[^.]+$/, '')
    .replace(/depth|colou?r|rgb/gi, '')
    .replace(/[_\-. ]+(?=\/|$)/g, '')
    .replace(/\/{2,}/g, '/')
    .replace(/^\//, '')
    .toLowerCase();
}

export function loadRgbdFolders(root: string, dataset: string): RgbdSet {
  requireDatasetDir(root, dataset);
  const colour = new Map<string, string>();
  const depth = new Map<string, string>();
  const plain = new Map<string, string>(); // no modality token: colour when a depth file pairs with it
  for (const path of walkFiles(root)) {
    const rel = relative(root, path).split(sep).join('/');
    if (!IMAGE.test(rel) || !rel.includes('/')) continue;
    const m = modality(rel);
    (m === 'colour' ? colour : m === 'depth' ? depth : plain).set(pairingKey(rel), path);
  }
  for (const [key, path] of plain) if (depth.has(key) && !colour.has(key)) colour.set(key, path);
  const samples: RgbdSample[] = [];
  for (const [key, c] of colour) {
    const d = depth.get(key);
    if (d) samples.push({ ...subjectOf(relative(root, c).split(sep).join('/')), key, colour: c, depth: d });
  }
  samples.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const rel = (p: string): string => relative(root, p);
  return {
    root,
    samples,
    subjects: [...new Set(samples.map((s) => s.subject))].sort(),
    unpairedColour: [...colour].filter(([k]) => !depth.has(k)).map(([, p]) => rel(p)),
    unpairedDepth: [...depth].filter(([k]) => !colour.has(k)).map(([, p]) => rel(p)),
  };
}

/** Decodes a sample: 8-bit RGB and the depth map (16-bit where stored so). */
export async function loadRgbdSample(sample: RgbdSample): Promise<{ colour: DecodedImage; depth: DecodedImage }> {
  return { colour: await decodeImage(sample.colour, sample.colour), depth: await decodeDepth(sample.depth, sample.depth) };
}
