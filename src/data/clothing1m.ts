// Clothing1M (Xiao et al. CVPR 2015; docs/papers/mda.md "Datasets"): `images/...jpg`, label files
// `noisy_label_kv.txt` / `clean_label_kv.txt` (lines `path label`), key lists (one path a line)
// `noisy_train_key_list.txt`, `clean_train_key_list.txt`, `clean_val_key_list.txt`,
// `clean_test_key_list.txt`, and `category_names_eng.txt` (14 names).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { corruptFile, datasetRelativePath, readLines, requireDatasetDir } from './fileio.js';

export const CLOTHING1M_CLASSES = 14;
export const CLOTHING1M_COUNTS = { cleanTrain: 47_570, cleanVal: 14_313, cleanTest: 10_526 } as const;

export type Clothing1mSplit = 'noisyTrain' | 'cleanTrain' | 'cleanVal' | 'cleanTest';

const SPLITS: Record<Clothing1mSplit, { keys: string; labels: string }> = {
  noisyTrain: { keys: 'noisy_train_key_list.txt', labels: 'noisy_label_kv.txt' },
  cleanTrain: { keys: 'clean_train_key_list.txt', labels: 'clean_label_kv.txt' },
  cleanVal: { keys: 'clean_val_key_list.txt', labels: 'clean_label_kv.txt' },
  cleanTest: { keys: 'clean_test_key_list.txt', labels: 'clean_label_kv.txt' },
};

export const CLOTHING1M_LIST_FILES = [...new Set(Object.values(SPLITS).flatMap((s) => [s.keys, s.labels])), 'category_names_eng.txt'];

/** `path label` lines -> map; labels must be 0..13. */
export function readLabelKv(file: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const { line, text } of readLines(file, 'Clothing1M')) {
    const f = text.split(/\s+/);
    if (f.length !== 2 || !/^\d+$/.test(f[1]!) || Number(f[1]) >= CLOTHING1M_CLASSES) {
      throw corruptFile(file, { line }, `bad label line '${text}': expected '<image path> <label 0-13>'`);
    }
    out.set(f[0]!, Number(f[1]));
  }
  return out;
}

export interface Clothing1mSample {
  /** Absolute image path. */
  path: string;
  label: number;
}

/** The samples of one split: each key of its list with its label from the matching label file. */
export function loadClothing1m(root: string, split: Clothing1mSplit): { samples: Clothing1mSample[]; classNames: string[] } {
  requireDatasetDir(root, 'Clothing1M');
  const spec = SPLITS[split];
  const labels = readLabelKv(join(root, spec.labels));
  const keysFile = join(root, spec.keys);
  const samples = readLines(keysFile, 'Clothing1M').map(({ line, text }) => {
    const label = labels.get(text);
    if (label === undefined) throw corruptFile(keysFile, { line }, `'${text}' has no label in ${spec.labels}`, 'use the list files of one Clothing1M release');
    return { path: join(root, datasetRelativePath(keysFile, line, text)), label };
  });
  const namesFile = join(root, 'category_names_eng.txt');
  const classNames = existsSync(namesFile) ? readLines(namesFile, 'Clothing1M').map((l) => l.text) : [];
  if (classNames.length && classNames.length !== CLOTHING1M_CLASSES)
    throw corruptFile(namesFile, {}, `${classNames.length} class names, expected ${CLOTHING1M_CLASSES}`);
  return { samples, classNames };
}
