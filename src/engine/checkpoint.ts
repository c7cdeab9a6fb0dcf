// Training checkpoints: the variables, the optimizer's slots and iteration count, and the positions of
// the random generators, saved at the end of an epoch. A long run (the paper profiles train for days
// on a GPU) then resumes at the next epoch and ends with the numbers of an uninterrupted run.
//
// One file, `checkpoint.ckpt`, so that it cannot be read half-old, half-new: MAGIC, the header length
// (uint32 LE), the header JSON (progress, shapes, dtypes, generator states), each tensor's 4-byte
// values in order, then the sha256 of everything before it. It is written under a name unique to
// the process (<file>.<pid>-<random>.tmp), flushed, and renamed over the previous checkpoint in one
// step: a crash at any point leaves the previous checkpoint or the new one, whole. A cut or damaged
// file fails its hash and is refused naming the folder.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
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

/**
 * Called after each write of a save, with the name of the step just done ('header', 'tensor 0', ...,
 * 'hash', 'flushed', 'renamed'). Tests throw from it to crash a save between any two writes.
 */
export type CheckpointFaults = (step: string) => void;

interface CheckpointHeader extends CheckpointProgress {
  version: 2;
  /** Identifies the run (cell, parameters, seed): a checkpoint of another run is refused. */
  key: string;
  rngs: RngState[];
  tensors: { shape: number[]; dtype: 'float32' | 'int32' }[];
}

export const CHECKPOINT_FILE = 'checkpoint.ckpt';
const MAGIC = Buffer.from('REPROCKP');
const HASH_BYTES = 32;
/** The two-file layout of earlier versions, whose renames a crash could separate. */
const OLD_LAYOUT = 'checkpoint.json';
const TEMP_PATTERN = /^checkpoint\.ckpt\.(\d+)-[0-9a-f]+\.tmp$/;

async function valuesOf(t: Tensor): Promise<Float32Array | Int32Array> {
  const data = await t.data();
  return t.dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temporary files of saves that a crash interrupted (their process is gone). */
function removeDeadTemps(dir: string): void {
  for (const name of readdirSync(dir)) {
    const m = TEMP_PATTERN.exec(name);
    if (m && Number(m[1]) !== process.pid && !isAlive(Number(m[1]))) rmSync(join(dir, name), { force: true });
  }
}

/** Saves `state` with `progress` into `dir` (created if needed), replacing the previous checkpoint in one rename. */
export async function saveCheckpoint(dir: string, key: string, progress: CheckpointProgress, state: TrainingState, faults?: CheckpointFaults): Promise<void> {
  const slots = await state.optimizer.getWeights();
  const tensors = [...state.variables, ...slots.map((s) => s.tensor)];
  const values = await Promise.all(tensors.map(valuesOf));
  tf.dispose(slots[0]!.tensor); // the iteration count is a fresh scalar; the other slots are live variables
  const header: CheckpointHeader = {
    version: 2,
    key,
    ...progress,
    rngs: state.rngs.map((r) => r.getState()),
    tensors: tensors.map((t) => ({ shape: t.shape, dtype: t.dtype === 'int32' ? 'int32' : 'float32' })),
  };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  const parts = [
    { step: 'header', bytes: Buffer.concat([MAGIC, length, headerBytes]) },
    ...values.map((v, i) => ({ step: `tensor ${i}`, bytes: Buffer.from(v.buffer, v.byteOffset, v.byteLength) })),
  ];
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p.bytes);
  parts.push({ step: 'hash', bytes: hash.digest() });

  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `${CHECKPOINT_FILE}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx');
  try {
    for (const p of parts) {
      writeSync(fd, p.bytes);
      faults?.(p.step);
    }
    fsyncSync(fd);
    faults?.('flushed');
  } finally {
    closeSync(fd);
  }
  renameSync(temp, join(dir, CHECKPOINT_FILE));
  faults?.('renamed');
  removeDeadTemps(dir);
}

/**
 * Restores the checkpoint in `dir` into `state` and returns its progress; null when there is none.
 * A checkpoint of another run (other key), of another shape, or damaged, is an InputError naming the folder.
 */
export async function loadCheckpoint(dir: string, key: string, state: TrainingState): Promise<CheckpointProgress | null> {
  const file = join(dir, CHECKPOINT_FILE);
  const fix = `Fix: delete ${dir} to start this run afresh, or rerun with the options that made it`;
  if (!existsSync(file)) {
    if (existsSync(join(dir, OLD_LAYOUT)))
      throw new InputError(`${dir}: a checkpoint in the two-file layout of an earlier repro, which cannot be trusted to be whole. ${fix}`);
    return null;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new InputError(`${dir}: unreadable checkpoint (${(error as Error).message}). ${fix}`);
  }
  const body = bytes.subarray(0, Math.max(0, bytes.length - HASH_BYTES));
  const intact =
    bytes.length >= MAGIC.length + 4 + HASH_BYTES &&
    bytes.subarray(0, MAGIC.length).equals(MAGIC) &&
    createHash('sha256').update(body).digest().equals(bytes.subarray(body.length));
  if (!intact) throw new InputError(`${file}: the checkpoint is cut or damaged (its sha256 does not match). ${fix}`);
  const headerLength = body.readUInt32LE(MAGIC.length);
  const headerEnd = MAGIC.length + 4 + headerLength;
  let header: CheckpointHeader;
  try {
    header = JSON.parse(body.toString('utf8', MAGIC.length + 4, headerEnd)) as CheckpointHeader;
  } catch (error) {
    throw new InputError(`${file}: unreadable checkpoint header (${(error as Error).message}). ${fix}`);
  }
  if (header.version !== 2 || header.key !== key)
    throw new InputError(`${dir}: the checkpoint belongs to another run (different cell, parameters or seed). ${fix}`);
  const variableCount = state.variables.length;
  if (header.tensors.length <= variableCount || header.rngs.length !== state.rngs.length)
    throw new InputError(`${dir}: the checkpoint does not match this network. ${fix}`);
  let offset = headerEnd;
  const restored = header.tensors.map(({ shape, dtype }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    if (offset + 4 * size > body.length) throw new InputError(`${file}: the checkpoint holds fewer tensor values than its header lists. ${fix}`);
    const copy = body.buffer.slice(body.byteOffset + offset, body.byteOffset + offset + 4 * size);
    offset += 4 * size;
    return tf.tensor(dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy), shape, dtype);
  });
  const mismatch = state.variables.findIndex((v, i) => v.shape.join('x') !== restored[i]!.shape.join('x'));
  if (mismatch >= 0) {
    const got = restored[mismatch]!.shape.join('x');
    tf.dispose(restored);
    throw new InputError(`${dir}: tensor ${mismatch} is ${got}, the network has ${state.variables[mismatch]!.shape.join('x')}. ${fix}`);
  }
  state.variables.forEach((v, i) => v.assign(restored[i]!));
  // setWeights turns each slot tensor into a variable of its own; the first one is the iteration count.
  await state.optimizer.setWeights(restored.slice(variableCount).map((tensor, i) => ({ name: i === 0 ? 'iter' : `slot${i}`, tensor })));
  tf.dispose(restored);
  state.rngs.forEach((r, i) => r.setState(header.rngs[i]!));
  return { epoch: header.epoch, step: header.step, epochLosses: header.epochLosses, seconds: header.seconds };
}

/** Removes a finished run's checkpoint. */
export function removeCheckpoint(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
