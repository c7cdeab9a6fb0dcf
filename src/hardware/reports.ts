// Per-layer reports in the shape of SCALE-Sim's COMPUTE_REPORT.csv and BANDWIDTH_REPORT.csv
// (LayerID first, one line per layer, trailing comma), extended with the columns this model adds.
import type { NetworkCost } from './model.js';

export const COMPUTE_REPORT_COLUMNS = [
  'LayerID',
  'Layer name',
  'Type',
  'Total Cycles',
  'Stall Cycles',
  'Overall Util %',
  'Mapping Efficiency %',
  'Compute Util %',
  'MACs',
  'Taps',
] as const;

export const BANDWIDTH_REPORT_COLUMNS = [
  'LayerID',
  'Layer name',
  'DRAM IFMAP Read Bytes',
  'DRAM Filter Read Bytes',
  'DRAM OFMAP Write Bytes',
  'Total DRAM Bytes',
  'Avg DRAM BW Bytes/Cycle',
  'Stored Elements',
] as const;

/** Integers as they are, other numbers with 4 decimals: stable text for golden files. */
export function reportNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(4);
}

function csv(header: readonly string[], rows: (string | number)[][]): string {
  const line = (cells: readonly (string | number)[]) => cells.map((c) => (typeof c === 'number' ? reportNumber(c) : c)).join(', ') + ',';
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export function computeReport(cost: NetworkCost): string {
  return csv(
    COMPUTE_REPORT_COLUMNS,
    cost.layers.map((l, i) => [
      i,
      l.name,
      l.type,
      l.totalCycles,
      l.stallCycles,
      l.totalCycles === 0 ? 0 : (100 * l.macs) / (l.totalCycles * l.multipliers),
      100 * l.mappingEfficiency,
      100 * l.computeUtilization,
      l.macs,
      l.taps,
    ]),
  );
}

export function bandwidthReport(cost: NetworkCost): string {
  return csv(
    BANDWIDTH_REPORT_COLUMNS,
    cost.layers.map((l, i) => {
      const total = l.dramIfmapReadBytes + l.dramFilterReadBytes + l.dramOfmapWriteBytes;
      return [
        i,
        l.name,
        l.dramIfmapReadBytes,
        l.dramFilterReadBytes,
        l.dramOfmapWriteBytes,
        total,
        l.totalCycles === 0 ? 0 : total / l.totalCycles,
        l.storedElements,
      ];
    }),
  );
}
