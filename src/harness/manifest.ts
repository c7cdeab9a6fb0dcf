// run.json: what produced a set of results, so a reviewer can tell two runs apart.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { version_core as tfjsVersion } from '@tensorflow/tfjs';
import { PACKAGE_ROOT } from '../core/paths.js';
import type { CheckReport, Profile } from '../core/types.js';

export interface CellRecord {
  id: string;
  seed: number;
  durationMs: number;
  /** Peak resident memory (MiB) of the process that ran the cell, up to the cell's end (a pool worker runs several cells). */
  peakRssMiB?: number;
  error?: string;
}

/** This process's peak resident set size so far, in MiB (getrusage ru_maxrss). */
export function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** The machine a run ran on: numbers differ between machines, so a reviewer needs this to compare two runs. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryBytes: number;
  platform: string;
  release: string;
}

export interface RunManifest {
  paper: string;
  /**
   * The invocation this set belongs to (`runs/<runId>/`; shared by every paper of one `repro run`).
   * This field, `command` and `machine` are absent in sets written before they were recorded.
   */
  runId?: string;
  /** process.argv after the node binary: the script and every argument as typed. */
  command?: string[];
  machine?: MachineInfo;
  profile: Profile;
  seed: number;
  package: { name: string; version: string };
  git: { commit: string; dirty: boolean };
  node: string;
  tfjs: string;
  backend: { name: string; reason: string };
  startedAt: string;
  endedAt: string;
  cells: CellRecord[];
  status: 'pass' | 'fail';
  checks: { rows: { table: string; key: Record<string, string | number>; metric: string; status: string }[]; claims: CheckReport['claims'] };
  /**
   * sha256 (hex) of every other file of the result set, by name: `repro check` and `repro list`
   * refuse a set whose files differ (results.ts). Absent in sets written before manifests existed.
   */
  files?: Record<string, string>;
}

export function packageInfo(): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8'));
  return { name: pkg.name, version: pkg.version };
}

export function gitState(): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: PACKAGE_ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString();
    return { commit, dirty: status.trim() !== '' };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    // availableParallelism honours CPU affinity and cgroup limits, which is what the workers get.
    cores: availableParallelism(),
    memoryBytes: totalmem(),
    platform: platform(),
    release: release(),
  };
}

export const TFJS_VERSION = tfjsVersion;
