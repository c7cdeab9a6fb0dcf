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

function readText(file: string, what: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'EISDIR' ? 'is a folder' : code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (error as Error).message})`;
    throw new InputError(`${flag} ${file}: the ${what} ${problem}. Fix: give the path of the ${what} file.`);
  }
}

export function loadTopology(file: string): HwLayer[] {
  return parseTopology(readText(file, 'topology', '--topology'), file);
}

/** The configuration in `file`, or the defaults when no file is given. */
export function loadConfig(file?: string): AcceleratorConfig {
  return file === undefined ? structuredClone(DEFAULT_CONFIG) : parseConfig(readText(file, 'configuration', '--config'), file);
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
  assertFiniteCost(cost);
  return {
    cost,
    files: {
      'COMPUTE_REPORT.csv': computeReport(cost),
      'BANDWIDTH_REPORT.csv': bandwidthReport(cost),
      'TOPOLOGY.csv': formatTopology(rows),
    },
  };
}

/**
 * The parse-time ranges (topology.ts, config.ts) keep every count exact; this is the backstop that a
 * combination of them never prints Infinity or NaN: the layer and the field are named instead.
 */
function assertFiniteCost(cost: NetworkCost): void {
  for (const layer of cost.layers) {
    for (const [field, value] of Object.entries(layer)) {
      if (typeof value === 'number' && !(Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER)) {
        throw new InputError(
          `layer '${layer.name}': ${field} is ${value}, beyond what the model counts exactly. Fix: use smaller sizes in the topology or the configuration.`,
        );
      }
    }
  }
}
