// LFW (Huang et al. 2007; docs/papers/sface.md "LFW"): `lfw/<name>/<name>_<nnnn>.jpg` and View 2 `pairs.txt`
// (10 folds x 300 same + 300 different). XQLFW (Knoche et al. 2021; docs/papers/lrfr.md "XQLFW") uses the same
// layout and protocol with degraded images.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openPairsDataset, type PairsDataset } from './pairs.js';

export const LFW_COUNTS = { images: 13_233, identities: 5_749, pairs: 6_000, folds: 10 } as const;

/** LFW from `root` (images in name folders, `pairs.txt` beside them unless `pairsFile` is given). */
export function openLfw(root: string, pairsFile = join(root, 'pairs.txt')): PairsDataset {
  return openPairsDataset('LFW', root, pairsFile);
}

export const XQLFW_COUNTS = { pairs: 6_000, images: 7_263, identities: 3_743 } as const;

/**
 * XQLFW from `root`: `xqlfw_pairs.txt` and the images in `xqlfw_aligned_112/` (112x112 aligned) or
 * `xqlfw/` (250x250 originals), `<name>/<name>_<nnnn>.jpg` as in LFW. File names from the download
 * page (github.com/Martlgap/xqlfw docs/pages/download.html); the aligned folder name and image names
 * as https://github.com/fdbtrs/CR-FIQA reads them (README; feature_extraction/extract_xqlfw.py: unzip xqlfw_aligned_112.zip,
 * read xqlfw_aligned_112/<person>/<person>_<nnnn>.jpg). [recon] the originals' folder name `xqlfw/`.
 */
export function openXqlfw(root: string, variant: 'aligned' | 'original' = 'aligned'): PairsDataset {
  const images = join(root, variant === 'aligned' ? 'xqlfw_aligned_112' : 'xqlfw');
  return openPairsDataset('XQLFW', existsSync(images) ? images : root, join(root, 'xqlfw_pairs.txt'));
}
