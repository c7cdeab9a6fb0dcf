// The paper profiles of sface and lrfr on a tiny data directory laid out as the real sets ship:
// synthetic faces as PNG records in CASIA-WebFace's train.rec/.idx/property with an lfw.bin of pairs,
// plus small SCface, XQLFW and TinyFace folders. Tiny recipes replace the card's (125 epochs of IR-50).
import { discardFiles } from '../../src/harness/cell-files.js';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceRecordStream } from '../../src/data/face-stream.js';
import { openFaceRecordSet } from '../../src/data/recordio.js';
import { generateFaceSet } from '../../src/data/synth3dmm/index.js';
import { CHECKPOINT_FILE } from '../../src/engine/checkpoint.js';
import { tf } from '../../src/engine/tf.js';
import { InputError } from '../../src/core/errors.js';
import { silentProgress } from '../../src/core/progress.js';
import { defaultHeadConfig } from '../../src/methods/heads/index.js';
import { trainFaceRecognizer, type RecordTrainingRecipe } from '../../src/methods/face/index.js';
import { SFACE_CASIA_RECIPE } from '../../src/methods/sface/index.js';
import { FACE_NET_PRESETS } from '../../src/nets/face/index.js';
import { LRFR_CASIA_RECIPE, lrfrPaper as lrfr } from '../../src/papers/lrfr.js';
import { sfacePaper as sface } from '../../src/papers/sface.js';
import { pickleProtocol2, tempDir, writeFile, writeFaceRecordSet } from '../data/fixtures.js';

const SIZE = 16;
const IDS = 6;
const PER_ID = 4;
const data = tempDir('repro-casia-');
const casia = join(data, 'faces_webface_112x112');
const faces = generateFaceSet({ ids: IDS, perId: PER_ID, seed: 3, size: SIZE });

function pngOf(i: number): Promise<Buffer> {
  const per = SIZE * SIZE * 3;
  const bytes = Buffer.from(Array.from(faces.images.subarray(i * per, (i + 1) * per), (v) => Math.round(v * 255)));
  return sharp(bytes, { raw: { width: SIZE, height: SIZE, channels: 3 } })
    .png()
    .toBuffer();
}

const tinyRecipe: RecordTrainingRecipe = {
  net: { ...FACE_NET_PRESETS.irTiny, widths: [...FACE_NET_PRESETS.irTiny.widths], blocks: [...FACE_NET_PRESETS.irTiny.blocks] },
  head: defaultHeadConfig('sface'),
  epochs: 2,
  batchSize: 8,
  lr: 0.05,
  lrStepEpochs: [1],
  momentum: 0.9,
  weightDecay: 5e-4,
};

beforeAll(async () => {
  await tf.setBackend('cpu');
  const pngs = await Promise.all(Array.from({ length: faces.count }, (_, i) => pngOf(i)));
  writeFaceRecordSet(
    casia,
    Array.from({ length: IDS }, (_, id) => pngs.slice(id * PER_ID, (id + 1) * PER_ID)),
    SIZE,
  );
  // 10 pairs (one per fold): same identity for even pairs, neighbours for odd ones.
  const images: Buffer[] = [];
  const issame: boolean[] = [];
  for (let p = 0; p < 10; p++) {
    const id = p % IDS;
    const same = p % 2 === 0;
    images.push(pngs[id * PER_ID]!, pngs[(same ? id : (id + 1) % IDS) * PER_ID + 1]!);
    issame.push(same);
  }
  writeFile(join(casia, 'lfw.bin'), pickleProtocol2(images, issame));
  // SCface: mugshots and one surveillance image per distance for subjects 1-3 (faces of ids 0-2).
  for (let s = 0; s < 3; s++) {
    const subject = String(s + 1).padStart(3, '0');
    writeFile(join(data, 'scface', 'mugshot_frontal_cropped_all', `${subject}_frontal.jpg`), pngs[s * PER_ID]!);
    for (const d of [1, 2, 3]) writeFile(join(data, 'scface', `surveillance_cameras_distance_${d}`, `${subject}_cam1_${d}.jpg`), pngs[s * PER_ID + d]!);
  }
  // XQLFW: ids A-C with two images each; per fold one same and one different pair.
  const names = ['A', 'B', 'C'];
  names.forEach((name, id) => [1, 2].forEach((k) => writeFile(join(data, 'xqlfw', 'xqlfw_aligned_112', name, `${name}_000${k}.png`), pngs[id * PER_ID + k]!)));
  const lines = ['10\t1'];
  for (let f = 0; f < 10; f++) lines.push(`${names[f % 3]}\t1\t2`, `${names[f % 3]}\t1\t${names[(f + 1) % 3]}\t2`);
  writeFile(join(data, 'xqlfw', 'xqlfw_pairs.txt'), `${lines.join('\n')}\n`);
  // TinyFace: probes and gallery matches of ids 1-3, two distractors.
  for (let s = 0; s < 3; s++) {
    writeFile(join(data, 'tinyface', 'Testing_Set', 'Probe', `${s + 1}_1.png`), pngs[s * PER_ID]!);
    writeFile(join(data, 'tinyface', 'Testing_Set', 'Gallery_Match', `${s + 1}_2.png`), pngs[s * PER_ID + 1]!);
  }
  for (const [k, i] of [
    ['a', 20],
    ['b', 21],
  ] as const)
    writeFile(join(data, 'tinyface', 'Testing_Set', 'Gallery_Distractor', `${k}.png`), pngs[i]!);
});
afterAll(() => rmSync(data, { recursive: true, force: true }));

describe('training on a RecordIO set', () => {
  it('the stream decodes the records as the in-memory set holds them, labels by identity record', async () => {
    const set = openFaceRecordSet(casia);
    const stream = faceRecordStream(set, SIZE);
    expect([stream.count, stream.classes]).toEqual([IDS * PER_ID, IDS]);
    expect(Array.from(stream.labels)).toEqual(Array.from(faces.labels));
    const images = await stream.read([5, 0]);
    const per = SIZE * SIZE * 3;
    const expected = [5, 0].flatMap((i) => Array.from(faces.images.subarray(i * per, (i + 1) * per), (v) => Math.round(v * 255) / 255));
    expect(Array.from(images)).toEqual(expected.map((v) => Math.fround(v)));
    expect(faceRecordStream(set, SIZE, { maxIdentities: 2, maxPerIdentity: 3 }).count).toBe(6);
    set.rec.close();
  });

  it('gives the same losses as training on the same images in memory', async () => {
    const set = openFaceRecordSet(casia);
    const stream = faceRecordStream(set, SIZE);
    const all = await stream.read(Array.from({ length: stream.count }, (_, i) => i));
    const options = { net: tinyRecipe.net, head: tinyRecipe.head, epochs: 2, batchSize: 8, lr: 0.05, seed: 4 };
    const streamed = await trainFaceRecognizer(stream, options);
    const inMemory = await trainFaceRecognizer(
      { images: all, labels: stream.labels, count: stream.count, size: SIZE, channels: 3, classes: stream.classes },
      options,
    );
    expect(streamed.epochLosses).toEqual(inMemory.epochLosses);
    expect(streamed.epochLosses.every(Number.isFinite)).toBe(true);
    for (const m of [streamed, inMemory]) {
      m.net.dispose();
      m.head.dispose();
    }
    set.rec.close();
  });
});

describe('resumable training (checkpoints at epoch ends)', () => {
  // irTiny with the IR output dropout on, so the net's own generator (dropout masks) must resume too.
  const net = { ...tinyRecipe.net, dropout: 0.4 };
  const set = { images: faces.images, labels: faces.labels, count: faces.count, size: SIZE, channels: 3, classes: IDS };
  const options = { net, head: tinyRecipe.head, epochs: 3, batchSize: 8, lr: 0.05, seed: 5 };
  const weightsOf = async (m: { net: { variables: { data(): Promise<unknown> }[] } }) =>
    Promise.all(m.net.variables.map(async (v) => Array.from((await v.data()) as Float32Array)));
  /** A step callback that throws after `n` steps: an interruption in the middle of a run. */
  const interruptAfter = (n: number) => () => {
    if (--n < 0) throw new Error('interrupted');
  };

  it('an interrupted run resumes after its last finished epoch and ends as an uninterrupted run', async () => {
    const uninterrupted = await trainFaceRecognizer(set, options);
    const dir = join(data, 'ckpt-a');
    const key = 'run-a';
    // 3 steps per epoch: stop in the middle of epoch 2.
    await expect(trainFaceRecognizer(set, { ...options, checkpoint: { dir, key }, onStep: interruptAfter(4) })).rejects.toThrow('interrupted');
    const resumed = await trainFaceRecognizer(set, { ...options, checkpoint: { dir, key } });
    expect(resumed.epochLosses).toEqual(uninterrupted.epochLosses);
    expect(resumed.steps).toBe(uninterrupted.steps);
    expect(await weightsOf(resumed)).toEqual(await weightsOf(uninterrupted));
    // The finished run left its final state: a rerun trains no step.
    const rerun = await trainFaceRecognizer(set, { ...options, checkpoint: { dir, key }, onStep: interruptAfter(0) });
    expect(await weightsOf(rerun)).toEqual(await weightsOf(uninterrupted));
    for (const m of [uninterrupted, resumed, rerun]) {
      m.net.dispose();
      m.head.dispose();
    }
  });

  it('a crash inside a checkpoint save resumes from the previous whole checkpoint and ends as an uninterrupted run', async () => {
    const uninterrupted = await trainFaceRecognizer(set, options);
    // Crash the save at the end of epoch 2 in the middle of its writes: the epoch-1 checkpoint must be
    // what resumes (every other crash point: test/engine/checkpoint.test.ts, on a smaller model).
    const dir = join(data, 'ckpt-crash');
    let saves = 0;
    const faults = (step: string) => {
      if (step === 'header') saves++;
      if (saves === 2 && step === 'tensor 3') throw new Error('crash inside the save');
    };
    await expect(trainFaceRecognizer(set, { ...options, checkpoint: { dir, key: 'k', faults } })).rejects.toThrow('crash inside the save');
    const resumed = await trainFaceRecognizer(set, { ...options, checkpoint: { dir, key: 'k' } });
    expect(resumed.epochLosses).toEqual(uninterrupted.epochLosses);
    expect(await weightsOf(resumed)).toEqual(await weightsOf(uninterrupted));
    for (const m of [uninterrupted, resumed]) {
      m.net.dispose();
      m.head.dispose();
    }
  });

  it("refuses another run's checkpoint, naming the folder", async () => {
    const dir = join(data, 'ckpt-b');
    const first = await trainFaceRecognizer(set, { ...options, epochs: 1, checkpoint: { dir, key: 'seed 5' } });
    first.net.dispose();
    first.head.dispose();
    const error = await trainFaceRecognizer(set, { ...options, seed: 6, checkpoint: { dir, key: 'seed 6' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(`${dir}: the checkpoint belongs to another run`);
  });
});

describe('repro sface --profile paper', () => {
  it('plans one CASIA-WebFace training cell with the card recipe, verified on the five .bin sets', () => {
    const cells = sface.plan('paper', 1);
    expect(cells.map((c) => c.id)).toEqual(['paper-casia-sface']);
    expect(cells[0]!.params).toEqual({ recipe: SFACE_CASIA_RECIPE, benchmarks: ['lfw', 'cfp_fp', 'agedb_30', 'calfw', 'cplfw'] });
    expect(SFACE_CASIA_RECIPE).toMatchObject({
      epochs: 125,
      batchSize: 256,
      lr: 0.1,
      lrStepEpochs: [50, 70, 80],
      head: { kind: 'sface', params: { a: 0.87, b: 1.2 } },
    });
  });

  it('the paper cell trains on train.rec and reports 10-fold accuracy on lfw.bin', async () => {
    const cell = { id: 'paper-casia-sface', kind: 'casia', params: { recipe: tinyRecipe, benchmarks: ['lfw'] }, seed: 9 };
    const rows = await sface.runCell(cell, { profile: 'paper', backend: 'cpu', dataDir: data, progress: silentProgress, files: discardFiles });
    expect(rows.map((r) => [r.table, r.key, r.metric])).toEqual([
      ['benchmarks', { dataset: 'lfw', head: 'sface' }, 'accuracy'],
      ['benchmarks', { dataset: 'lfw', head: 'sface' }, 'std'],
    ]);
    // 10 pairs, one per fold: each fold's accuracy is 0 or 100, so the mean is a multiple of 10.
    const tenths = rows[0]!.value! / 10;
    expect(Math.abs(tenths - Math.round(tenths))).toBeLessThan(1e-9);
    expect(rows[0]!.note).toContain('on 6 ids / 24 images');
    expect(rows[0]!.note).toContain('insightface-10fold');
  });
});

describe('a paper cell and its checkpoint', () => {
  it('keeps the checkpoint when a measurement fails, resumes without training, and removes it at the end', async () => {
    const checkpointDir = join(data, 'ckpt-cell');
    const cell = { id: 'paper-casia-sface', kind: 'casia', params: { recipe: tinyRecipe, benchmarks: ['lfw', 'cfp_fp'] }, seed: 9 };
    const ctx = { profile: 'paper' as const, backend: 'cpu', dataDir: data, progress: silentProgress, checkpointDir, files: discardFiles };
    await expect(sface.runCell(cell, ctx)).rejects.toThrow('cfp_fp.bin');
    expect(existsSync(join(checkpointDir, CHECKPOINT_FILE))).toBe(true);
    copyFileSync(join(casia, 'lfw.bin'), join(casia, 'cfp_fp.bin'));
    try {
      const noTraining = { ...silentProgress, tick: () => expect.fail('the rerun trained a step') };
      const rows = await sface.runCell(cell, { ...ctx, progress: noTraining });
      expect(rows.map((r) => r.key.dataset)).toEqual(['lfw', 'lfw', 'cfp_fp', 'cfp_fp']);
      expect(rows[2]!.value).toBe(rows[0]!.value); // the same pairs
      expect(existsSync(checkpointDir)).toBe(false);
    } finally {
      rmSync(join(casia, 'cfp_fp.bin'));
    }
  });
});

describe('repro lrfr --profile paper', () => {
  it('plans one CASIA-WebFace training cell: MRA + LogExp, ArcFace, the [recon] recipe', () => {
    const cells = lrfr.plan('paper', 1);
    expect(cells.map((c) => c.id)).toEqual(['paper-casia-mra+logexp']);
    expect(cells[0]!.params).toEqual({ recipe: LRFR_CASIA_RECIPE, variant: 'mra+logexp', maxDistractors: null, scfaceTestSubjects: null });
    expect(LRFR_CASIA_RECIPE.head.kind).toBe('arcface');
  });

  it('the paper cell trains on train.rec and reports SCface, XQLFW and TinyFace', async () => {
    const recipe = { ...tinyRecipe, head: defaultHeadConfig('arcface') };
    const cell = {
      id: 'paper-casia-mra+logexp',
      kind: 'casia',
      params: { recipe, variant: 'mra+logexp', maxDistractors: 1, scfaceTestSubjects: [1, 2, 3] },
      seed: 9,
    };
    const rows = await lrfr.runCell(cell, { profile: 'paper', backend: 'cpu', dataDir: data, progress: silentProgress, files: discardFiles });
    expect(rows.map((r) => `${r.key.benchmark}/${r.key.metric_name}`)).toEqual([
      'scface/rank1_d1',
      'scface/rank1_d2',
      'scface/rank1_d3',
      'xqlfw/accuracy',
      'tinyface/rank1',
      'tinyface/rank5',
      'tinyface/rank20',
    ]);
    for (const r of rows) {
      expect(r.value).toBeGreaterThanOrEqual(0);
      expect(r.value).toBeLessThanOrEqual(100);
      expect(r.note).toContain('[recon] training recipe');
    }
    // 3 probes per SCface distance; 3 TinyFace probes against 3 matches + 1 distractor: rank 5 and 20 see everything.
    for (const r of rows.filter((r) => r.key.benchmark === 'scface')) expect([0, 100 / 3, 200 / 3, 100].some((v) => Math.abs(v - r.value!) < 1e-9)).toBe(true);
    expect(rows.filter((r) => r.key.metric_name === 'rank5' || r.key.metric_name === 'rank20').map((r) => r.value)).toEqual([100, 100]);
    expect(rows[4]!.note).toContain('1 of 2 distractors');
  });
});
