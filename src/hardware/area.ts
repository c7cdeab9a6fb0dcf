// Parametric gate-count and on-chip memory model (docs/papers/condensation.md "Hardware overhead") [recon].
// Assumptions, all stated: gates are NAND2 equivalents from config.gates; a multiplier is an array
// multiplier (b_f·b_w ANDs + (b_f−1)·b_w full adders); each PE has input registers and an accumulator
// (adder + register); a w×w window PE group adds an adder tree of w²−1 accumulator-wide adders; the
// output stage holds one register per lane. SRAM is counted as memory, not gates. Control logic,
// address generators and DMA are not modelled (they are UNKNOWN), so the totals are lower bounds and
// the overhead shares upper bounds.
import type { AcceleratorConfig } from './config.js';
import { effectiveKernel } from '../nets/shapes.js';
import type { HwLayer } from './layer.js';

export interface GateBreakdown {
  multipliers: number;
  accumulators: number;
  registers: number;
  adderTrees: number;
  outputStage: number;
  /** Cross-channel pooling: P_oc/G comparators (b-bit subtract + b-bit 2:1 mux) in the output stage. */
  crossChannelPooling: number;
  total: number;
}

export interface MemoryBreakdown {
  featureSramBytes: number;
  weightSramBytes: number;
  /** Cross-channel pooling: one output tile of partial maxima, P_pix·P_oc·b_f bits. */
  crossChannelBufferBytes: number;
  total: number;
}

export function gateCount(cfg: AcceleratorConfig): GateBreakdown {
  const g = cfg.gates;
  const groups = cfg.parallelPixels * cfg.parallelChannels;
  const mults = groups * cfg.kernelWindow * cfg.kernelWindow;
  const multiplier = cfg.featureBits * cfg.weightBits * g.and2 + (cfg.featureBits - 1) * cfg.weightBits * g.fullAdder;
  const multipliers = mults * multiplier;
  const accumulators = groups * cfg.accumulatorBits * (g.fullAdder + g.dff);
  const registers = mults * (cfg.featureBits + cfg.weightBits) * g.dff;
  const adderTrees = groups * (cfg.kernelWindow * cfg.kernelWindow - 1) * cfg.accumulatorBits * g.fullAdder;
  const outputStage = groups * cfg.featureBits * g.dff;
  const crossChannelPooling = cfg.crossChannelPooling ? Math.floor(cfg.parallelChannels / cfg.crossChannelGroup) * cfg.featureBits * (g.fullAdder + g.mux2) : 0;
  return {
    multipliers,
    accumulators,
    registers,
    adderTrees,
    outputStage,
    crossChannelPooling,
    total: multipliers + accumulators + registers + adderTrees + outputStage + crossChannelPooling,
  };
}

/**
 * SRAM sizes: the configured ones, or (null) sized to the network: the feature SRAM holds the largest
 * line buffer (dilated filter span rows x padded width x channels) and the weight SRAM the largest
 * batch of P_oc filters.
 */
export function memorySizes(cfg: AcceleratorConfig, rows: HwLayer[]): MemoryBreakdown {
  const lineBuffer = (r: HwLayer) =>
    r.type === 'conv' || r.type === 'maxpool' || r.type === 'avgpool'
      ? (effectiveKernel(r.filterH, r.dilation) * r.ifmapW * r.channels * cfg.featureBits) / 8
      : 0;
  const filterBatch = (r: HwLayer) =>
    r.type === 'conv' ? (Math.min(cfg.parallelChannels, r.numFilter) * (r.channels / r.groups) * r.filterH * r.filterW * cfg.weightBits) / 8 : 0;
  const featureSramBytes = cfg.featureSramBytes ?? Math.max(0, ...rows.map(lineBuffer));
  const weightSramBytes = cfg.weightSramBytes ?? Math.max(0, ...rows.map(filterBatch));
  const crossChannelBufferBytes = cfg.crossChannelPooling ? (cfg.parallelPixels * cfg.parallelChannels * cfg.featureBits) / 8 : 0;
  return { featureSramBytes, weightSramBytes, crossChannelBufferBytes, total: featureSramBytes + weightSramBytes + crossChannelBufferBytes };
}
