// `repro data synth`: synthetic faces written in LFW's layout, so the LFW/pairs loaders read them.
//
// Layout of OUT (written to a temporary sibling folder and renamed into place when complete):
//   OUT/<name>/<name>_<nnnn>.png        RGB, 8-bit PNG, size×size, aligned to the ArcFace template
//   OUT/<name>/depth/<name>_<nnnn>.png  depth, 16-bit greyscale PNG: value = round(depth·65535), where
//                                       depth is FaceSample.depth (0 = background, (0, 1] face, 1 = nearest)
//   OUT/pairs.txt                       LFW View-2 format: "folds perFold", then per fold perFold
//                                       "name n1 n2" lines and perFold "name1 n1 name2 n2" lines
//   OUT/synth3dmm.json                  generator options, and every identity's group
// Names are synth_<iiiii> (identity index, 1-based in the name as LFW counts images from 1).
// Folds are identity-disjoint (identity i belongs to fold i mod folds), as LFW's are.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { createRng, type Rng } from '../../core/rng.js';
import { createFaceGenerator, sampleSeedOf, type FaceGeneratorOptions } from './generator.js';
import { GROUP_NAMES } from './model.js';
import { encodePngGray16, encodePngRgb8 } from './png.js';

export interface SynthFolderOptions extends FaceGeneratorOptions {
  out: string;
  ids: number;
  perId: number;
  /** LFW uses 10. */
  folds?: number;
  /** Same (and as many different) pairs per fold, at most; LFW uses 300. */
  pairsPerFold?: number;
  /** Also write depth PNGs. Default true. */
  depth?: boolean;
  /** Replace an existing OUT. */
  force?: boolean;
  /** Called after each identity is written. */
  onIdentity?: (done: number, total: number) => void;
}

export interface SynthFolderSummary {
  out: string;
  identities: number;
  images: number;
  folds: number;
  pairsPerFold: number;
  pairs: number;
  size: number;
  seed: number;
}

export function synthName(identity: number): string {
  return `synth_${String(identity + 1).padStart(5, '0')}`;
}

export interface SynthPair {
  a: [number, number];
  b: [number, number];
  same: boolean;
}

/** LFW-style pairs: per fold `perFold` same-identity then `perFold` different-identity pairs (image numbers 1-based). */
export function makeSynthPairs(ids: number, perId: number, folds: number, requestedPerFold: number, rng: Rng): { perFold: number; pairs: SynthPair[] } {
  const members = Array.from({ length: folds }, (_, f) => Array.from({ length: ids }, (_, i) => i).filter((i) => i % folds === f));
  const sameCandidates = members.map((fold) => {
    const all: SynthPair[] = [];
    for (const i of fold) for (let k1 = 1; k1 <= perId; k1++) for (let k2 = k1 + 1; k2 <= perId; k2++) all.push({ a: [i, k1], b: [i, k2], same: true });
    return all;
  });
  const perFold = Math.min(requestedPerFold, ...sameCandidates.map((c) => c.length));
  const pairs: SynthPair[] = [];
  members.forEach((fold, f) => {
    pairs.push(...rng.shuffle(sameCandidates[f]!).slice(0, perFold));
    const seen = new Set<string>();
    const diff: SynthPair[] = [];
    while (diff.length < perFold) {
      const i1 = fold[rng.int(fold.length)]!;
      const i2 = fold[rng.int(fold.length)]!;
      if (i1 === i2) continue;
      const p: SynthPair = { a: [Math.min(i1, i2), 1 + rng.int(perId)], b: [Math.max(i1, i2), 1 + rng.int(perId)], same: false };
      const key = `${p.a}|${p.b}`;
      if (seen.has(key)) continue;
      seen.add(key);
      diff.push(p);
    }
    pairs.push(...diff);
  });
  return { perFold, pairs };
}

export function pairsText(folds: number, perFold: number, pairs: SynthPair[]): string {
  const lines = [`${folds}\t${perFold}`];
  for (const p of pairs) {
    lines.push(p.same ? `${synthName(p.a[0])}\t${p.a[1]}\t${p.b[1]}` : `${synthName(p.a[0])}\t${p.a[1]}\t${synthName(p.b[0])}\t${p.b[1]}`);
  }
  return `${lines.join('\n')}\n`;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new InputError(message);
}

/** Renders ids × perId faces and writes the folder atomically; returns what was written. */
export function writeSynthFolder(options: SynthFolderOptions): SynthFolderSummary {
  const { ids, perId } = options;
  const folds = options.folds ?? 10;
  const out = resolve(options.out);
  check(Number.isInteger(ids) && ids >= 2, `--ids must be an integer ≥ 2, got ${ids}`);
  check(Number.isInteger(perId) && perId >= 2, `--per-id must be an integer ≥ 2 (same-identity pairs need two images), got ${perId}`);
  check(Number.isInteger(folds) && folds >= 1, `--folds must be a positive integer, got ${folds}`);
  check(
    ids >= 2 * folds,
    `--ids ${ids} is too few for ${folds} identity-disjoint folds (each needs 2 identities): use --ids ${2 * folds} or more, or fewer --folds`,
  );
  check(ids <= 99_999, `--ids must be at most 99999, got ${ids}`);
  const size = options.size ?? 112;
  check(Number.isInteger(size) && size >= 8 && size <= 1024, `--size must be an integer in 8..1024, got ${size}`);
  if (existsSync(out) && !options.force) throw new InputError(`${out} already exists. Fix: choose another --out, or pass --force to replace it`);
  mkdirSync(dirname(out), { recursive: true });

  const temp = join(dirname(out), `.${basename(out)}.${randomBytes(4).toString('hex')}.tmp`);
  const gen = createFaceGenerator({ ...options, size });
  const writeDepth = options.depth ?? true;
  const groups: Record<string, string> = {};
  try {
    mkdirSync(temp);
    for (let i = 0; i < ids; i++) {
      const name = synthName(i);
      const who = gen.identity(i);
      groups[name] = who.groupName;
      mkdirSync(join(temp, name, writeDepth ? 'depth' : ''), { recursive: true });
      for (let k = 0; k < perId; k++) {
        const face = who.render(sampleSeedOf(options.seed, i, k));
        const file = `${name}_${String(k + 1).padStart(4, '0')}.png`;
        writeFileSync(join(temp, name, file), encodePngRgb8(face.rgb, size, size));
        if (writeDepth) writeFileSync(join(temp, name, 'depth', file), encodePngGray16(face.depth, size, size));
      }
      options.onIdentity?.(i + 1, ids);
    }
    const { perFold, pairs } = makeSynthPairs(ids, perId, folds, options.pairsPerFold ?? 300, createRng(sampleSeedOf(options.seed, 0xfffff, 0)));
    writeFileSync(join(temp, 'pairs.txt'), pairsText(folds, perFold, pairs));
    const manifest = {
      generator: 'repro synth3dmm',
      seed: options.seed,
      modelSeed: options.modelSeed ?? null,
      size,
      ids,
      perId,
      folds,
      pairsPerFold: perFold,
      occlusion: options.occlusion ?? null,
      depthEncoding: writeDepth ? '16-bit greyscale PNG, value = round(depth * 65535); 0 = background, face in (0, 1], 1 = nearest point' : null,
      groupNames: GROUP_NAMES,
      groups,
    };
    writeFileSync(join(temp, 'synth3dmm.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    if (existsSync(out)) {
      const trash = `${temp}.old`;
      renameSync(out, trash);
      renameSync(temp, out);
      rmSync(trash, { recursive: true, force: true });
    } else {
      renameSync(temp, out);
    }
    return { out, identities: ids, images: ids * perId, folds, pairsPerFold: perFold, pairs: pairs.length, size, seed: options.seed };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
