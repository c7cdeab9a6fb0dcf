// Reading topology and configuration files for `repro hw`, with errors a user can act on.
import { readFileSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { resolveNetwork } from '../nets/shapes.js';
import { NETWORKS } from '../nets/zoo.js';
import { DEFAULT_CONFIG, parseConfig, type AcceleratorConfig } from './config.js';
import { lowerNetwork, type HwLayer } from './layer.js';
import { costLayers, type NetworkCost } from './model.js';
import { bandwidthReport, computeReport } from './reports.js';
import { formatTopology, parseTopology } from './topology.js';

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: cannot read the ${what} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Check the path.`);
  }
}

export function loadTopology(file: string): HwLayer[] {
  return parseTopology(readText(file, 'topology'), file);
}

/** The configuration in `file`, or the defaults when no file is given. */
export function loadConfig(file?: string): AcceleratorConfig {
  return file === undefined ? structuredClone(DEFAULT_CONFIG) : parseConfig(readText(file, 'configuration'), file);
}

/** Topology rows of a built-in network (see NETWORKS). */
export function networkTopology(name: string): HwLayer[] {
  const entry = NETWORKS[name];
  if (!entry) throw new InputError(`unknown network '${name}'. Built-in networks: ${Object.keys(NETWORKS).join(', ')}.`);
  return lowerNetwork(resolveNetwork(entry.build()));
}

export interface HardwareRun {
  cost: NetworkCost;
  /** File name → contents: COMPUTE_REPORT.csv, BANDWIDTH_REPORT.csv, TOPOLOGY.csv. */
  files: Record<string, string>;
}

export function runHardware(rows: HwLayer[], cfg: AcceleratorConfig): HardwareRun {
  const cost = costLayers(rows, cfg);
  return {
    cost,
    files: {
      'COMPUTE_REPORT.csv': computeReport(cost),
      'BANDWIDTH_REPORT.csv': bandwidthReport(cost),
      'TOPOLOGY.csv': formatTopology(rows),
    },
  };
}
