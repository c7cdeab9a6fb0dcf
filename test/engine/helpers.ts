// Shared helpers of the engine tests: seeded inputs, and running one function on two backends.
import { tf } from '../../src/engine/tf.js';
import { selectBackend } from '../../src/engine/backend.js';
import { createRng } from '../../src/core/rng.js';

export type Tensor = ReturnType<typeof tf.tensor>;

/** Normal(0,1) values from a seed, so every test input is reproducible. */
export function randomValues(size: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.normal();
  return out;
}

export function randomTensor(shape: number[], seed: number): Tensor {
  return tf.tensor(
    randomValues(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );
}

/** max |a − b| / max |b|: the error relative to the reference's scale (per element is ill-posed near 0). */
export function relativeError(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  if (actual.length !== reference.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - reference[i]));
    scale = Math.max(scale, Math.abs(reference[i]));
  }
  if (!Number.isFinite(diff)) return Infinity;
  return scale === 0 ? diff : diff / scale;
}

/** Runs `fn` under a backend and returns its outputs' values and shapes; tensors are disposed. */
export async function runOn(backend: 'cpu' | 'wasm', fn: () => Tensor[]): Promise<{ values: Float32Array[]; shapes: number[][] }> {
  if (backend === 'wasm') await selectBackend('wasm'); // registers the project's kernels once
  await tf.setBackend(backend);
  if (tf.getBackend() !== backend) throw new Error(`backend ${backend} did not activate`);
  const outs = tf.tidy(fn);
  const values = outs.map((t) => Float32Array.from(t.dataSync()));
  const shapes = outs.map((t) => t.shape);
  tf.dispose(outs);
  return { values, shapes };
}

/** The largest relative error of `fn`'s outputs on wasm against the cpu backend, with equal shapes asserted. */
export async function wasmVsCpu(fn: () => Tensor[]): Promise<number[]> {
  const ref = await runOn('cpu', fn);
  const got = await runOn('wasm', fn);
  return ref.values.map((r, i) => {
    if (JSON.stringify(ref.shapes[i]) !== JSON.stringify(got.shapes[i])) return Infinity;
    return relativeError(got.values[i], r);
  });
}
