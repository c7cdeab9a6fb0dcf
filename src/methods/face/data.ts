// Synthetic identity datasets for the face papers (the embedded default, [recon]): 3DMM faces from
// src/data/synth3dmm, rendered at the backbone's input size, memoised per process so that the cells
// of one run share the same faces.
import { generateFaceSet } from '../../data/synth3dmm/index.js';
import type { FaceDataset } from './train.js';

export interface SynthFaceDatasetOptions {
  ids: number;
  perId: number;
  /** First identity index (train and test sets use disjoint ranges). */
  firstId: number;
  size: number;
  seed: number;
}

const cache = new Map<string, FaceDataset>();

export function synthFaceDataset(o: SynthFaceDatasetOptions): FaceDataset {
  const key = JSON.stringify(o);
  const hit = cache.get(key);
  if (hit) return hit;
  const set = generateFaceSet({ ids: o.ids, perId: o.perId, firstId: o.firstId, size: o.size, seed: o.seed });
  const data: FaceDataset = { images: set.images, labels: set.labels, count: set.count, size: o.size, channels: 3, classes: set.classes };
  if (cache.size >= 8) cache.delete(cache.keys().next().value!);
  cache.set(key, data);
  return data;
}
