// Checkpoints cannot be read half-old, half-new: a save is crashed (fault hook) after each of its
// writes, at each epoch, and the resumed run must end exactly as the uninterrupted one.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { CHECKPOINT_FILE, loadCheckpoint, saveCheckpoint, type CheckpointFaults } from '../../src/engine/checkpoint.js';
import { tf } from '../../src/engine/tf.js';

const root = mkdtempSync(join(tmpdir(), 'repro-ckpt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const EPOCHS = 3;
const N = 12;
const xs = Array.from({ length: N }, (_, i) => [i / N, (i % 3) / 3]);
const ys = xs.map(([a, b]) => 2 * a! - b! + 0.5);

interface Outcome {
  losses: number[];
  weights: number[][];
}

/**
 * A tiny regression trained with momentum SGD on batches the run's generator shuffles, saving a
 * checkpoint at each epoch's end: the variables, the optimizer's slots and the generator must all
 * resume for the numbers to match.
 */
async function train(dir: string, faults?: CheckpointFaults): Promise<Outcome> {
  await tf.setBackend('cpu');
  const w = tf.variable(tf.tensor2d([[0.1], [-0.2]]));
  const b = tf.variable(tf.scalar(0));
  const optimizer = tf.train.momentum(0.1, 0.9);
  const rng = createRng(7);
  const state = { variables: [w, b], optimizer, rngs: [rng] };
  try {
    const resumed = await loadCheckpoint(dir, 'tiny', state);
    const losses = resumed ? [...resumed.epochLosses] : [];
    let step = resumed?.step ?? 0;
    for (let epoch = resumed?.epoch ?? 0; epoch < EPOCHS; epoch++) {
      const order = rng.shuffle([...Array(N).keys()]);
      let sum = 0;
      for (let at = 0; at < N; at += 4) {
        const idx = order.slice(at, at + 4);
        const x = tf.tensor2d(idx.map((i) => xs[i]!));
        const y = tf.tensor2d(idx.map((i) => [ys[i]!]));
        const loss = optimizer.minimize(() => tf.losses.meanSquaredError(y, tf.add(tf.matMul(x, w), b)), true) as tf.Scalar;
        sum += (await loss.data())[0]!;
        tf.dispose([x, y, loss]);
        step++;
      }
      losses.push(sum);
      await saveCheckpoint(dir, 'tiny', { epoch: epoch + 1, step, epochLosses: losses, seconds: 0 }, state, faults);
    }
    return { losses, weights: [Array.from(await w.data()), Array.from(await b.data())] };
  } finally {
    tf.dispose([w, b]);
    optimizer.dispose();
  }
}

describe('checkpoints', () => {
  it('a crash after any write of any save resumes to the numbers of an uninterrupted run', async () => {
    const steps: string[] = [];
    const uninterrupted = await train(join(root, 'clean'), (step) => void steps.push(step));
    const perSave = steps.length / EPOCHS;
    // header, one write per tensor (2 variables, the iteration count, 2 momentum slots), hash, flush, rename.
    const tensorSteps = Array.from({ length: 5 }, (_, i) => `tensor ${i}`);
    expect(steps.slice(0, perSave)).toEqual(['header', ...tensorSteps, 'hash', 'flushed', 'renamed']);
    for (let save = 1; save <= EPOCHS; save++) {
      for (const crashAfter of steps.slice(0, perSave)) {
        const dir = join(root, `crash-${save}-${crashAfter.replace(' ', '-')}`);
        let seen = 0;
        const crash: CheckpointFaults = (step) => {
          if (step === 'header') seen++;
          if (seen === save && step === crashAfter) throw new Error('crash');
        };
        await expect(train(dir, crash)).rejects.toThrow('crash');
        expect(await train(dir), `save ${save}, crash after ${crashAfter}`).toEqual(uninterrupted);
      }
    }
  });

  it('temporary names are unique per process, and leftovers of dead processes are ignored then removed', async () => {
    const dir = join(root, 'temps');
    await train(dir);
    // A save a dead process (pid 2^22 + 1 is above Linux's pid_max default) left half-written.
    const stale = join(dir, `${CHECKPOINT_FILE}.4194305-deadbeef.tmp`);
    writeFileSync(stale, 'half a checkpoint');
    const names: string[] = [];
    await train(join(root, 'temps-2'), () => void names.push(...readdirSync(join(root, 'temps-2'))));
    expect(names.filter((n) => n.endsWith('.tmp')).every((n) => n.includes(`.${process.pid}-`))).toBe(true);
    // The finished run resumes (trains nothing) despite the leftover, and its next save removes it.
    const w = tf.variable(tf.tensor2d([[0], [0]]));
    const b = tf.variable(tf.scalar(0));
    const optimizer = tf.train.momentum(0.1, 0.9);
    const state = { variables: [w, b], optimizer, rngs: [createRng(7)] };
    const progress = await loadCheckpoint(dir, 'tiny', state);
    expect(progress?.epoch).toBe(EPOCHS);
    await saveCheckpoint(dir, 'tiny', progress!, state);
    expect(existsSync(stale)).toBe(false);
    tf.dispose([w, b]);
    optimizer.dispose();
  });

  it('refuses a cut or damaged checkpoint, and the two-file layout of earlier versions, naming the folder', async () => {
    const dir = join(root, 'damaged');
    await train(dir);
    const file = join(dir, CHECKPOINT_FILE);
    const bytes = readFileSync(file);
    const state = () => ({
      variables: [tf.variable(tf.tensor2d([[0], [0]])), tf.variable(tf.scalar(0))],
      optimizer: tf.train.momentum(0.1, 0.9),
      rngs: [createRng(7)],
    });
    truncateSync(file, bytes.length - 5);
    const cut = await loadCheckpoint(dir, 'tiny', state()).catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(InputError);
    expect((cut as Error).message).toContain(`${file}: the checkpoint is cut or damaged`);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 40]! ^= 1;
    writeFileSync(file, flipped);
    await expect(loadCheckpoint(dir, 'tiny', state())).rejects.toThrow('sha256 does not match');
    rmSync(file);
    writeFileSync(join(dir, 'checkpoint.json'), '{}');
    await expect(loadCheckpoint(dir, 'tiny', state())).rejects.toThrow(`${dir}: a checkpoint in the two-file layout`);
  });
});
