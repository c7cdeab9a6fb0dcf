// The webgpu backend in Node: Dawn's binding (npm `webgpu`) under @tensorflow/tfjs-backend-webgpu.
// tfjs-core 4.22's backend registers itself only if `navigator.gpu` exists when it loads, asks for
// `requiredFeatures` as a nested array, and does not request the adapter's storage-buffer limit:
// the adapter handed to it is wrapped to fix those three things.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { tf } from './tf.js';

export interface WebgpuAdapterInfo {
  /** Dawn's backend that found the adapter. */
  api: 'vulkan' | 'opengles';
  /** Device and driver, e.g. 'llvmpipe-llvm-15 (OpenGL ES 3.2 Mesa 22.3.6)'. */
  name: string;
  /** A CPU rasteriser (llvmpipe, lavapipe, SwiftShader): correct but slower than wasm. */
  software: boolean;
}

export type WebgpuProbe = { ok: true; adapter: WebgpuAdapterInfo } | { ok: false; reason: string };

type Gpu = { requestAdapter(options?: Record<string, unknown>): Promise<Adapter | null> };
type Adapter = {
  info: { vendor: string; architecture: string; device: string; description: string };
  features: Set<string>;
  limits: Record<string, number>;
  requestDevice(descriptor?: Record<string, unknown>): Promise<unknown>;
};

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|software/i;

// Dawn's OpenGL ES backend needs EGL without a display.
process.env.EGL_PLATFORM ??= 'surfaceless';

function describe(adapter: Adapter, api: WebgpuAdapterInfo['api']): WebgpuAdapterInfo {
  const { vendor, architecture, device, description } = adapter.info;
  const name = [device || vendor || architecture, description].filter(Boolean).join(' (') + (device && description ? ')' : '');
  return { api, name: name || 'unnamed adapter', software: SOFTWARE.test(`${vendor} ${device} ${description}`) };
}

/** The adapter, wrapped so that tfjs's device request succeeds on Dawn. */
function tfjsCompatible(adapter: Adapter): Adapter {
  return new Proxy(adapter, {
    get(target, property, receiver) {
      if (property !== 'requestDevice') return Reflect.get(target, property, receiver);
      return (descriptor: { requiredFeatures?: unknown[]; requiredLimits?: Record<string, number> } = {}) =>
        target.requestDevice({
          ...descriptor,
          requiredFeatures: (descriptor.requiredFeatures ?? []).flat(),
          requiredLimits: {
            ...descriptor.requiredLimits,
            maxStorageBuffersPerShaderStage: target.limits.maxStorageBuffersPerShaderStage,
          },
        });
    },
  });
}

// The GPU instance is kept with its adapter: if it were garbage-collected, Dawn would crash.
/** Dawn prints a warning when it tries Vulkan without the loader library: look for it first. */
function hasVulkanLoader(): boolean {
  const dirs = [...(process.env.LD_LIBRARY_PATH ?? '').split(':'), '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib'];
  return dirs.some((dir) => dir && existsSync(join(dir, 'libvulkan.so.1')));
}

let probed: Promise<{ probe: WebgpuProbe; adapter?: Adapter; instance?: Gpu }> | null = null;

/** Looks for an adapter once per process: Vulkan first, then OpenGL ES (compatibility level). */
export function probeWebgpu(): Promise<WebgpuProbe> {
  probed ??= (async () => {
    let webgpu: { create(flags: string[]): Gpu; globals: object };
    try {
      webgpu = (await import('webgpu')) as unknown as typeof webgpu;
    } catch (error) {
      return { probe: { ok: false, reason: `the webgpu package does not load here (${(error as Error).message})` } };
    }
    type Attempt = [WebgpuAdapterInfo['api'], string[], Record<string, unknown>];
    const vulkan: Attempt = ['vulkan', ['backend=vulkan'], {}];
    const opengles: Attempt = ['opengles', ['backend=opengles'], { featureLevel: 'compatibility' }];
    const attempts = hasVulkanLoader() ? [vulkan, opengles] : [opengles];
    for (const [api, flags, options] of attempts) {
      try {
        const instance = webgpu.create(flags);
        const adapter = await instance.requestAdapter(options);
        if (adapter) {
          Object.assign(globalThis, webgpu.globals);
          return { probe: { ok: true, adapter: describe(adapter, api) }, adapter, instance };
        }
      } catch {
        // No driver for this API: try the next one.
      }
    }
    return { probe: { ok: false, reason: 'no WebGPU adapter: neither Vulkan nor OpenGL ES (EGL) is available' } };
  })();
  return probed.then((p) => p.probe);
}

/**
 * The probe run in a child process, for a report (`repro doctor`): Dawn writes warnings about its own
 * limits straight to the process's stderr, where no JavaScript can catch them; the child's stderr is
 * dropped. From TypeScript sources (tests) there is no compiled module to start, so it probes here.
 */
export function probeWebgpuQuietly(): Promise<WebgpuProbe> {
  const self = fileURLToPath(import.meta.url);
  if (!self.endsWith('.js')) return probeWebgpu();
  const script = `import(${JSON.stringify(import.meta.url)}).then((m) => m.probeWebgpu()).then((p) => process.stdout.write(JSON.stringify(p)))`;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000 }, (error, stdout) => {
      try {
        resolve(JSON.parse(stdout) as WebgpuProbe);
      } catch {
        resolve({ ok: false, reason: `the WebGPU probe process failed (${error?.message ?? 'no answer'})` });
      }
    });
  });
}

/** Makes 'webgpu' the active tfjs backend; returns why not where it cannot. */
export async function activateWebgpu(): Promise<WebgpuProbe> {
  const probe = await probeWebgpu();
  const { adapter } = await probed!;
  if (!probe.ok || !adapter) return probe;
  if (!tf.findBackendFactory('webgpu')) {
    const nav = ((globalThis as { navigator?: object }).navigator ??= {}) as { gpu?: Gpu };
    const wrapped = tfjsCompatible(adapter);
    Object.defineProperty(nav, 'gpu', { value: { requestAdapter: async () => wrapped }, configurable: true });
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  try {
    if (!(await tf.setBackend('webgpu'))) return { ok: false, reason: 'tfjs could not initialise the webgpu backend' };
    await tf.ready();
  } catch (error) {
    return { ok: false, reason: `tfjs could not initialise the webgpu backend (${(error as Error).message})` };
  }
  return probe;
}
