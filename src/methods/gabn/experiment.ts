// One GABN experiment (docs/papers/gabn.md "Suggested quick profile" (b) and "Experimental protocol"): every
// method trained at every seed on the same grouped training set, then measured per test group: RFW-style
// 10-fold verification accuracy, GAMs of the test images (area, mean map), the training discriminator's last
// epoch accuracy and a fresh identity-disjoint probe on the test GAMs; STD/SER over the groups (fairness.ts).
// Test groups are loaded one at a time (RFW's 6,000 pairs per group are large), after all training.
import type { Progress } from '../../core/progress.js';
import { createRng } from '../../core/rng.js';
import type { ImagePair } from '../face/index.js';
import { groupAreas, groupProbeAccuracy, meanMap, pairVerificationAccuracy, testAttentionMaps } from './evaluate.js';
import { fairnessOf, type GroupFairness } from './fairness.js';
import type { FaceImageData } from './net.js';
import { trainGabn, type GabnMethod, type GabnTrainOptions, type GroupedFaceSet, type TopNErasing, type TrainedGabn } from './train.js';

/** The card's methods: ArcFace, its two components alone (the ablation) and full GABN. */
export const GABN_METHODS = ['baseline', 'adversarial', 'erasing', 'gabn'] as const;
export type GabnMethodName = (typeof GABN_METHODS)[number];

export function methodSpec(name: GabnMethodName, adversarial: number, erase: TopNErasing): GabnMethod {
  return {
    adversarial: name === 'adversarial' || name === 'gabn' ? adversarial : 0,
    erase: name === 'erasing' || name === 'gabn' ? erase : null,
  };
}

/** One test group: images, verification pairs over them, identity labels for the GAM references. */
export interface GroupTestSet {
  images: FaceImageData;
  count: number;
  size: number;
  pairs: ImagePair[];
  /** Identity label of every image (GAM reference = the mean of the other images with the label). */
  identities: Int32Array;
  /** Images whose GAM is measured (those with another image of the same identity). */
  mapRows: Int32Array;
}

export interface ExperimentConfig {
  train: Omit<GabnTrainOptions, 'seed' | 'method' | 'groups' | 'label' | 'onStep'>;
  methods: readonly GabnMethodName[];
  adversarial: number;
  erase: TopNErasing;
  seeds: readonly number[];
  probe: { hidden: number; steps: number; lr: number };
}

export interface RunResult {
  seed: number;
  method: GabnMethodName;
  /** Verification accuracy (%) per group, in group order. */
  accuracy: number[];
  fairness: GroupFairness;
  /** Mean attention area per group. */
  areas: number[];
  /** Mean GAM (G²) per group. */
  meanMaps: Float32Array[];
  /** Training discriminator accuracy (%) on the last epoch's batches. */
  trainingDiscriminator: number;
  /** Fresh probe accuracy (%) on test GAMs. */
  probe: number;
  finalLoss: number;
  /** Mean training loss and discriminator accuracy (%) of every epoch (the training curves). */
  epochLosses: number[];
  epochDiscriminator: number[];
  steps: number;
}

function selectRows(images: FaceImageData, rows: Int32Array, size: number): FaceImageData {
  const per = size * size * 3;
  const out = images instanceof Float32Array ? new Float32Array(rows.length * per) : new Uint8Array(rows.length * per);
  rows.forEach((r, k) => out.set(images.subarray(r * per, (r + 1) * per), k * per));
  return out;
}

/** Trains every (seed, method), then measures each on the groups `loadGroup(0..groups-1)` returns. */
export async function runGabnExperiment(
  train: GroupedFaceSet,
  groups: number,
  loadGroup: (group: number) => Promise<GroupTestSet>,
  config: ExperimentConfig,
  progress: Progress,
): Promise<RunResult[]> {
  const stepsPerRun = Math.floor(train.count / config.train.batchSize) * config.train.epochs;
  const runs: { seed: number; method: GabnMethodName; model: TrainedGabn }[] = [];
  try {
    progress.start('gabn training', config.seeds.length * config.methods.length * stepsPerRun);
    for (const seed of config.seeds)
      for (const method of config.methods) {
        const model = await trainGabn(train, {
          ...config.train,
          seed,
          groups,
          method: methodSpec(method, config.adversarial, config.erase),
          label: `gabn ${method} seed ${seed}`,
          onStep: (_s, _n, loss) => progress.tick(`${method} seed ${seed} loss ${loss.toFixed(3)}`),
        });
        runs.push({ seed, method, model });
      }
    progress.stop();
    const accuracy = runs.map(() => [] as number[]);
    const maps = runs.map(() => [] as Float32Array[]);
    const mapGroups: number[] = [];
    const mapIdentities: number[] = [];
    for (let g = 0; g < groups; g++) {
      const set = await loadGroup(g);
      const subset = selectRows(set.images, set.mapRows, set.size);
      const ids = Int32Array.from(set.mapRows, (r) => set.identities[r]!);
      for (const [k, run] of runs.entries()) {
        accuracy[k]!.push(await pairVerificationAccuracy(run.model.net, set.images, set.count, set.pairs));
        maps[k]!.push(await testAttentionMaps(run.model.net, subset, set.mapRows.length, ids));
      }
      for (const id of ids) {
        mapGroups.push(g);
        mapIdentities.push(g * 1_000_000 + id);
      }
      progress.log(`gabn: group ${g + 1}/${groups} measured (${set.pairs.length} pairs, ${set.mapRows.length} maps)`);
    }
    const groupOf = Int32Array.from(mapGroups);
    const results: RunResult[] = [];
    for (const [k, run] of runs.entries()) {
      const cells = run.model.net.grid ** 2;
      const all = new Float32Array(groupOf.length * cells);
      let offset = 0;
      for (const m of maps[k]!) {
        all.set(m, offset);
        offset += m.length;
      }
      const probe = await groupProbeAccuracy(all, cells, groupOf, mapIdentities, groups, { ...config.probe, seed: createRng(run.seed).seed() });
      results.push({
        seed: run.seed,
        method: run.method,
        accuracy: accuracy[k]!,
        fairness: fairnessOf(accuracy[k]!),
        areas: groupAreas(all, cells, groupOf, groups),
        meanMaps: Array.from({ length: groups }, (_, g) => meanMap(all, cells, groupOf, g)),
        trainingDiscriminator: run.model.discriminatorAccuracy[run.model.discriminatorAccuracy.length - 1]!,
        probe,
        finalLoss: run.model.epochLosses[run.model.epochLosses.length - 1]!,
        epochLosses: run.model.epochLosses,
        epochDiscriminator: run.model.discriminatorAccuracy,
        steps: run.model.steps,
      });
    }
    return results;
  } finally {
    for (const run of runs) run.model.dispose();
  }
}
