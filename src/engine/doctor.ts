// `repro doctor`: what this machine offers the engine (versions, backend, training kernels, cores, data).
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { tf } from './tf.js';
import { selectBackend, type BackendChoice } from './backend.js';
import { probeWebgpuQuietly, type WebgpuProbe } from './webgpu.js';
import { installedWasmKernels } from './wasm-kernels.js';
import { PACKAGE_ROOT } from '../core/paths.js';

const require = createRequire(import.meta.url);

/** Kernels a convolutional network needs to train (forward and backward), checked on the chosen backend. */
export const TRAINING_KERNELS = [
  'Conv2D',
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'FusedConv2D',
  'DepthwiseConv2dNative',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'SpaceToBatchND',
  'BatchToSpaceND',
  'MaxPool',
  'MaxPoolGrad',
  'AvgPool',
  'AvgPoolGrad',
  'FusedBatchNorm',
  'BatchMatMul',
  'UnsortedSegmentSum',
  'Tile',
  'Softmax',
] as const;

export interface DoctorDataset {
  name: string;
  state: 'found' | 'incomplete' | 'missing';
}

export interface DoctorReport {
  node: string;
  platform: string;
  cores: { available: number; model: string };
  memoryGiB: number;
  versions: Record<string, string | null>;
  backend: { name: string; reason: string; adapter?: string };
  /** What WebGPU finds here, whether or not it was chosen. */
  webgpu: WebgpuProbe;
  kernels: {
    /** The project's own wasm kernels currently registered. */
    projectWasmKernels: string[];
    /** Training kernels missing on the chosen backend (empty = everything trains). */
    missingOnBackend: string[];
  };
  data: { dir: string; exists: boolean; writable: boolean; datasets: DoctorDataset[] };
}

function packageVersion(name: string): string | null {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return null; // not installed (or not resolvable): reported as null
  }
}

function reproVersion(): string | null {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Datasets of the catalogue, found/incomplete/missing by their marker files (no size walk). */
export interface CatalogEntryLike {
  name: string;
  path: string;
  markers: string[];
}

export function datasetStates(entries: CatalogEntryLike[], dataDir: string): DoctorDataset[] {
  return entries.map((entry) => {
    const path = join(dataDir, entry.path);
    if (!existsSync(path)) return { name: entry.name, state: 'missing' as const };
    const complete = entry.markers.every((m) => existsSync(join(path, m)));
    return { name: entry.name, state: complete ? ('found' as const) : ('incomplete' as const) };
  });
}

export async function doctorReport(backendChoice: BackendChoice, dataDir: string, catalog: CatalogEntryLike[]): Promise<DoctorReport> {
  const backend = await selectBackend(backendChoice);
  const missing = TRAINING_KERNELS.filter((name) => !tf.getKernel(name, backend.name));
  const cpuList = cpus();
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cores: { available: availableParallelism(), model: cpuList[0]?.model?.trim() ?? 'unknown' },
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    versions: {
      repro: reproVersion(),
      '@tensorflow/tfjs-core': tf.version_core,
      '@tensorflow/tfjs-backend-cpu': packageVersion('@tensorflow/tfjs-backend-cpu'),
      '@tensorflow/tfjs-backend-wasm': packageVersion('@tensorflow/tfjs-backend-wasm'),
      '@tensorflow/tfjs-node': packageVersion('@tensorflow/tfjs-node'),
      '@tensorflow/tfjs-node-gpu': packageVersion('@tensorflow/tfjs-node-gpu'),
      '@tensorflow/tfjs-backend-webgpu': packageVersion('@tensorflow/tfjs-backend-webgpu'),
      webgpu: packageVersion('webgpu'),
    },
    backend: { name: backend.name, reason: backend.reason, adapter: backend.adapter },
    webgpu: await probeWebgpuQuietly(),
    kernels: { projectWasmKernels: installedWasmKernels(), missingOnBackend: missing },
    data: {
      dir: dataDir,
      exists: existsSync(dataDir),
      writable: existsSync(dataDir) && writable(dataDir),
      datasets: datasetStates(catalog, dataDir),
    },
  };
}

/** The report as aligned text lines. */
export function doctorText(report: DoctorReport): string {
  const counts = { found: 0, incomplete: 0, missing: 0 };
  for (const d of report.data.datasets) counts[d.state]++;
  const lines = [
    `node        ${report.node} (${report.platform})`,
    `cores       ${report.cores.available} × ${report.cores.model}, ${report.memoryGiB} GiB memory`,
    `versions    ${Object.entries(report.versions)
      .map(([name, v]) => `${name} ${v ?? 'not installed'}`)
      .join(', ')}`,
    `backend     ${report.backend.name} (${report.backend.reason})${report.backend.adapter ? `, adapter ${report.backend.adapter}` : ''}`,
    `webgpu      ${report.webgpu.ok ? `${report.webgpu.adapter.name} via ${report.webgpu.adapter.api}${report.webgpu.adapter.software ? ' (software rasteriser)' : ''}` : report.webgpu.reason}`,
    `kernels     project wasm kernels: ${report.kernels.projectWasmKernels.join(', ') || 'none'}`,
    report.kernels.missingOnBackend.length
      ? `            missing on ${report.backend.name}: ${report.kernels.missingOnBackend.join(', ')} (training those layers fails)`
      : `            every training kernel is registered on ${report.backend.name}`,
    `data        ${report.data.dir} (${report.data.exists ? (report.data.writable ? 'exists, writable' : 'exists, read-only') : 'does not exist'})`,
    `            datasets: ${counts.found} found, ${counts.incomplete} incomplete, ${counts.missing} missing` +
      (counts.found + counts.incomplete
        ? ` (${report.data.datasets
            .filter((d) => d.state !== 'missing')
            .map((d) => `${d.name}: ${d.state}`)
            .join(', ')})`
        : ''),
  ];
  return lines.join('\n');
}
