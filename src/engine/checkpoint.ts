// Training checkpoints: the variables, the optimizer's slots and iteration count, and the positions of
// the random generators, saved at the end of an epoch. A long run (the paper profiles train for days
// on a GPU) then resumes at the next epoch and ends with the numbers of an uninterrupted run.
// Files in `dir`: checkpoint.bin (each tensor's 4-byte values, in order) and checkpoint.json (progress,
// shapes, dtypes, generator states). Both are written under temporary names and the JSON is renamed
// last, so a checkpoint.json always describes a complete checkpoint.bin.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import type { Rng, RngState } from '../core/rng.js';
import { tf } from './tf.js';

type Tensor = ReturnType<typeof tf.tensor>;
type Variable = ReturnType<typeof tf.variable>;
type Optimizer = ReturnType<typeof tf.train.momentum>;

/** What a run has done when it saves. */
export interface CheckpointProgress {
  /** Epochs finished. */
  epoch: number;
  step: number;
  epochLosses: number[];
  /** Training seconds so far. */
  seconds: number;
}

/** The state a checkpoint saves and restores, in a fixed order. */
export interface TrainingState {
  variables: Variable[];
  optimizer: Optimizer;
  rngs: Rng[];
}

interface CheckpointFile extends CheckpointProgress {
  version: 1;
  /** Identifies the run (cell, parameters, seed): a checkpoint of another run is refused. */
  key: string;
  rngs: RngState[];
  tensors: { shape: number[]; dtype: 'float32' | 'int32' }[];
}

const JSON_FILE = 'checkpoint.json';
const BIN_FILE = 'checkpoint.bin';

async function valuesOf(t: Tensor): Promise<Float32Array | Int32Array> {
  const data = await t.data();
  return t.dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data);
}

/** Saves `state` with `progress` into `dir` (created if needed). */
export async function saveCheckpoint(dir: string, key: string, progress: CheckpointProgress, state: TrainingState): Promise<void> {
  const slots = await state.optimizer.getWeights();
  const tensors = [...state.variables, ...slots.map((s) => s.tensor)];
  const values = await Promise.all(tensors.map(valuesOf));
  tf.dispose(slots[0]!.tensor); // the iteration count is a fresh scalar; the other slots are live variables
  const file: CheckpointFile = {
    version: 1,
    key,
    ...progress,
    rngs: state.rngs.map((r) => r.getState()),
    tensors: tensors.map((t) => ({ shape: t.shape, dtype: t.dtype === 'int32' ? 'int32' : 'float32' })),
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${BIN_FILE}.tmp`), Buffer.concat(values.map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength))));
  writeFileSync(join(dir, `${JSON_FILE}.tmp`), JSON.stringify(file));
  renameSync(join(dir, `${BIN_FILE}.tmp`), join(dir, BIN_FILE));
  renameSync(join(dir, `${JSON_FILE}.tmp`), join(dir, JSON_FILE));
}

/**
 * Restores the checkpoint in `dir` into `state` and returns its progress; null when there is none.
 * A checkpoint of another run (other key) or of another shape is an InputError naming the folder.
 */
export async function loadCheckpoint(dir: string, key: string, state: TrainingState): Promise<CheckpointProgress | null> {
  const jsonPath = join(dir, JSON_FILE);
  if (!existsSync(jsonPath)) return null;
  const fix = `Fix: delete ${dir} to start this run afresh, or rerun with the options that made it`;
  let file: CheckpointFile;
  let bytes: Buffer;
  try {
    file = JSON.parse(readFileSync(jsonPath, 'utf8')) as CheckpointFile;
    bytes = readFileSync(join(dir, BIN_FILE));
  } catch (error) {
    throw new InputError(`${dir}: unreadable checkpoint (${(error as Error).message}). ${fix}`);
  }
  if (file.version !== 1 || file.key !== key) throw new InputError(`${dir}: the checkpoint belongs to another run (different cell, parameters or seed). ${fix}`);
  const variableCount = state.variables.length;
  if (file.tensors.length <= variableCount || file.rngs.length !== state.rngs.length) throw new InputError(`${dir}: the checkpoint does not match this network. ${fix}`);
  let offset = 0;
  const restored = file.tensors.map(({ shape, dtype }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    if (offset + 4 * size > bytes.length) throw new InputError(`${dir}: ${BIN_FILE} is truncated. ${fix}`);
    const copy = bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + 4 * size);
    offset += 4 * size;
    return tf.tensor(dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy), shape, dtype);
  });
  state.variables.forEach((v, i) => {
    if (v.shape.join('x') !== restored[i]!.shape.join('x')) throw new InputError(`${dir}: tensor ${i} is ${restored[i]!.shape.join('x')}, the network has ${v.shape.join('x')}. ${fix}`);
    v.assign(restored[i]!);
  });
  // setWeights turns each slot tensor into a variable of its own; the first one is the iteration count.
  await state.optimizer.setWeights(restored.slice(variableCount).map((tensor, i) => ({ name: i === 0 ? 'iter' : `slot${i}`, tensor })));
  tf.dispose(restored);
  state.rngs.forEach((r, i) => r.setState(file.rngs[i]!));
  return { epoch: file.epoch, step: file.step, epochLosses: file.epochLosses, seconds: file.seconds };
}

/** Removes a finished run's checkpoint. */
export function removeCheckpoint(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
