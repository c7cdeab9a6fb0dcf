// RFW, Racial Faces in-the-Wild (Wang et al. ICCV 2019; docs/papers/gabn.md "RFW"):
// test/data/<Group>/<id>/<id>_<nnnn>.jpg and test/txts/<Group>/<Group>_pairs.txt, tab-separated LFW
// pair lines ('id n1 n2' same, 'id1 n1 id2 n2' different). Layout confirmed by public evaluation code:
// https://github.com/RafaelMMamede/Fairness_OCFR (src/extract_similarities.py builds
// <data>/<Group>/<id>/<id>_000<n>.jpg from RFW/test/txts/<Group>/<Group>_pairs.txt lines; its shell
// scripts point at RFW/test/data/<Group>/).
// BUPT-Balancedface (the RFW authors' training set): race_per_7000/<Group>/<identity>/<image>, the
// race_per_7000 folder directly in the download or under images/ — confirmed by
// https://github.com/shi510/ffem (example/train/config.py: root_path
// .../BUPT-Balancedface/images/race_per_7000 with race_list African, Asian, Caucasian, Indian).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listIdentityFolders, openPairsDataset, type IdentityFolder, type PairsDataset } from './pairs.js';
import { corruptFile, requireDatasetDir } from './fileio.js';

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

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

/** The folder holding BUPT-Balancedface's group folders: race_per_7000/, images/race_per_7000/, or the root itself. */
export function buptGroupsRoot(root: string): string {
  requireDatasetDir(root, 'BUPT-Balancedface');
  const candidates = [join(root, 'race_per_7000'), join(root, 'images', 'race_per_7000'), root];
  const found = candidates.find((c) => RFW_GROUPS.some((g) => isDir(join(c, g))));
  if (!found)
    throw corruptFile(
      root,
      {},
      `no race_per_7000/<Group>/ folders (groups ${RFW_GROUPS.join(', ')})`,
      'extract the BUPT-Balancedface archive so that race_per_7000/African/ and the other groups exist in the folder',
    );
  return found;
}

/** BUPT-Balancedface: every group's identity folders (sorted); a missing group is an incomplete copy. */
export function openBuptBalancedface(root: string): Record<RfwGroup, IdentityFolder[]> {
  const groups = buptGroupsRoot(root);
  return Object.fromEntries(
    RFW_GROUPS.map((g) => {
      const dir = join(groups, g);
      if (!isDir(dir)) throw corruptFile(dir, {}, `missing BUPT-Balancedface group folder ${g}`, 'extract the complete archive');
      return [g, listIdentityFolders(dir)];
    }),
  ) as Record<RfwGroup, IdentityFolder[]>;
}
