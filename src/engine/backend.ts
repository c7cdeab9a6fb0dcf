// Backend selection: `auto` takes the fastest that loads (a hardware GPU through webgpu → tensorflow → wasm
// → cpu) and says why.
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tf } from './tf.js';
import { InputError } from '../core/errors.js';
import { registerWasmTrainingKernels } from './wasm-kernels.js';
import { activateWebgpu } from './webgpu.js';

export const BACKEND_CHOICES = ['auto', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface BackendSelection {
  /** The tfjs backend name now active: 'tensorflow', 'wasm' or 'cpu'. */
  name: string;
  /** One line saying why this backend was chosen (and why faster ones were not). */
  reason: string;
  /** The GPU adapter, for webgpu. */
  adapter?: string;
}

const require = createRequire(import.meta.url);

/** tfjs-node(-gpu) are optional dependencies: they need a libtensorflow download at install. */
async function loadTensorflow(): Promise<string | null> {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      require.resolve(pkg);
    } catch {
      continue;
    }
    try {
      await import(pkg);
      return pkg;
    } catch {
      // Installed but its native library is missing: try the next one.
    }
  }
  return null;
}

async function activate(name: string): Promise<boolean> {
  // The wasm backend cannot train convolutions stock: install the project's kernels (wasm-kernels.ts).
  if (name === 'wasm') registerWasmTrainingKernels();
  try {
    const ok = await tf.setBackend(name);
    await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/** Whether the machine exposes a GPU at all; probing Dawn without one only prints warnings. */
function hasGpuDevice(): boolean {
  if (existsSync('/dev/nvidia0') || existsSync('/dev/nvidiactl')) return true;
  try {
    return readdirSync('/dev/dri').some((name) => name.startsWith('renderD'));
  } catch {
    return false;
  }
}

let current: { choice: BackendChoice; selection: BackendSelection } | null = null;

/** Selects and initialises a backend; repeated calls with the same choice reuse the selection. */
export async function selectBackend(choice: BackendChoice): Promise<BackendSelection> {
  if (!BACKEND_CHOICES.includes(choice)) {
    throw new InputError(`unknown backend '${choice}': use one of ${BACKEND_CHOICES.join(', ')}`);
  }
  if (current && current.choice === choice) {
    if (tf.getBackend() !== current.selection.name) await tf.setBackend(current.selection.name);
    return current.selection;
  }
  const selection = await choose(choice);
  current = { choice, selection };
  return selection;
}

async function choose(choice: BackendChoice): Promise<BackendSelection> {
  const skipped: string[] = [];
  if (choice === 'webgpu') {
    const gpu = await activateWebgpu();
    if (!gpu.ok) throw new InputError(`backend 'webgpu' is not available: ${gpu.reason}. Use --backend wasm.`);
    return { name: 'webgpu', reason: `asked for (${gpu.adapter.api})`, adapter: gpu.adapter.name };
  }
  if (choice === 'auto') {
    // A software adapter (llvmpipe) is correct but slower than wasm: auto takes hardware GPUs only.
    const gpu = hasGpuDevice() ? await activateWebgpu() : { ok: false as const, reason: 'no GPU device node (/dev/dri, /dev/nvidia*)' };
    if (gpu.ok && !gpu.adapter.software) {
      return { name: 'webgpu', reason: `GPU adapter found (${gpu.adapter.api})`, adapter: gpu.adapter.name };
    }
    skipped.push(gpu.ok ? `webgpu: only a software adapter (${gpu.adapter.name}), slower than wasm` : `webgpu: ${gpu.reason}`);
  }
  if (choice === 'tensorflow' || choice === 'auto') {
    const pkg = await loadTensorflow();
    if (pkg && (await activate('tensorflow'))) {
      return { name: 'tensorflow', reason: `${pkg} loaded` };
    }
    if (choice === 'tensorflow') {
      throw new InputError(
        "backend 'tensorflow' needs @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu, which is not installed " +
          '(its install downloads libtensorflow). Install it with network access, or use --backend wasm.',
      );
    }
    skipped.push('tensorflow: tfjs-node not installed');
  }
  if (choice === 'wasm' || choice === 'auto') {
    if (await activate('wasm')) {
      return { name: 'wasm', reason: skipped.length ? `fastest available (${skipped.join('; ')})` : 'asked for' };
    }
    if (choice === 'wasm') throw new InputError("backend 'wasm' failed to initialise; use --backend cpu");
    skipped.push('wasm: failed to initialise');
  }
  await activate('cpu');
  return { name: 'cpu', reason: skipped.length ? `fallback (${skipped.join('; ')})` : 'asked for' };
}
