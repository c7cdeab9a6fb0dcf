// RFW, Racial Faces in-the-Wild (Wang et al. ICCV 2019; card gabn.md "Dataset facts") [recon layout]:
// test/data/<Group>/<id>/<id>_<nnnn>.jpg and test/txts/<Group>/<Group>_pairs.txt (LFW pairs format).
import { join } from 'node:path';
import { openPairsDataset, type PairsDataset } from './pairs.js';
import { requireDatasetDir } from './fileio.js';

/** The four test groups, with the names the distribution uses for its folders. */
export const RFW_GROUPS = ['African', 'Asian', 'Caucasian', 'Indian'] as const;
export type RfwGroup = (typeof RFW_GROUPS)[number];

export const RFW_PAIRS_PER_GROUP = 6_000;

export function openRfwGroup(root: string, group: RfwGroup): PairsDataset {
  return openPairsDataset(`RFW ${group}`, join(root, 'test', 'data', group), join(root, 'test', 'txts', group, `${group}_pairs.txt`));
}

/** All four groups; a missing group is a missing part of the dataset. */
export function openRfw(root: string): Record<RfwGroup, PairsDataset> {
  requireDatasetDir(root, 'RFW');
  return Object.fromEntries(RFW_GROUPS.map((g) => [g, openRfwGroup(root, g)])) as Record<RfwGroup, PairsDataset>;
}
