// Cycle and DRAM-traffic model of the parametric accelerator (docs/papers/cassod.md "Suggested cycle model";
// docs/papers/ddc.md "Accelerator architecture"; docs/papers/condensation.md "Bandwidth accounting"). [recon]
import { effectiveKernel } from '../nets/shapes.js';
import type { AcceleratorConfig } from './config.js';
import { hwMacs, hwWeights, outputSize, type HwLayer } from './layer.js';

export interface LayerCost {
  name: string;
  type: HwLayer['type'];
  macs: number;
  /** Kernel taps visited per output element and input channel (zeros included when zero-stuffed). */
  taps: number;
  computeCycles: number;
  stallCycles: number;
  totalCycles: number;
  /** Multipliers of the array (P_pix·P_oc·w²). */
  multipliers: number;
  /** Fraction of (pixel x channel) lanes that hold an output. */
  mappingEfficiency: number;
  /** MACs / (compute cycles · multipliers). */
  computeUtilization: number;
  dramIfmapReadBytes: number;
  dramFilterReadBytes: number;
  dramOfmapWriteBytes: number;
  /** Elements of this layer's output that exist in memory (on chip or in DRAM); 0 when virtual. */
  storedElements: number;
  /** Why the layer costs what it costs: 'virtual', 'fused-in', 'fused-out', 'pool-fused'. */
  flags: string[];
}

export interface NetworkCost {
  config: AcceleratorConfig;
  layers: LayerCost[];
  macs: number;
  computeCycles: number;
  totalCycles: number;
  dramBytes: number;
  /** Largest stored feature map (elements): the peak storage of a layer-by-layer schedule. */
  maxStoredElements: number;
}

const bytes = (elements: number, bits: number) => (elements * bits) / 8;

/** Taps per output element: k² natively, ((k−1)d+1)² zero-stuffed (docs/papers/cassod.md "Headline figure derivation"). */
export function tapsPerOutput(l: HwLayer, cfg: AcceleratorConfig): [number, number] {
  if (l.type !== 'conv' || cfg.dilation === 'native') return [l.filterH, l.filterW];
  return [effectiveKernel(l.filterH, l.dilation), effectiveKernel(l.filterW, l.dilation)];
}

/**
 * Compute cycles of a conv row.
 * proposed (window 1): ceil(Ho·Wo/P_pix) · ceil(Cout/P_oc) · (Cin/groups) · taps
 * window w > 1 (intra-kernel): taps replaced by ceil(kh/w)·ceil(kw/w) passes
 * broadcast depthwise/grouped: groups · ceil((Cout/groups)/P_oc) channel batches instead of ceil(Cout/P_oc)
 */
function convCycles(l: HwLayer, cfg: AcceleratorConfig, pixBatches: number): { cycles: number; lanes: number } {
  const [th, tw] = tapsPerOutput(l, cfg);
  const steps = cfg.kernelWindow > 1 ? Math.ceil(th / cfg.kernelWindow) * Math.ceil(tw / cfg.kernelWindow) : th * tw;
  const cinPerGroup = l.channels / l.groups;
  const coutPerGroup = l.numFilter / l.groups;
  const channelBatches =
    l.groups > 1 && cfg.depthwise === 'broadcast' ? l.groups * Math.ceil(coutPerGroup / cfg.parallelChannels) : Math.ceil(l.numFilter / cfg.parallelChannels);
  return { cycles: pixBatches * channelBatches * cinPerGroup * steps, lanes: channelBatches * cfg.parallelChannels };
}

/** Costs every row of a topology under one configuration. */
export function costLayers(rows: HwLayer[], cfg: AcceleratorConfig): NetworkCost {
  const multipliers = cfg.parallelPixels * cfg.parallelChannels * cfg.kernelWindow * cfg.kernelWindow;
  const layers: LayerCost[] = [];
  // Decisions that depend on neighbours: virtual CCP (conv then ccp of its output) and fused pooling.
  const virtualCcp = rows.map(
    (r, i) => cfg.virtualFeatureMaps && r.type === 'ccp' && i > 0 && rows[i - 1]!.type === 'conv' && rows[i - 1]!.numFilter === r.channels,
  );
  const poolFused = rows.map(
    (r, i) => cfg.fusePooling && r.type === 'maxpool' && i > 0 && (rows[i - 1]!.type === 'conv' || (rows[i - 1]!.type === 'ccp' && virtualCcp[i - 1]!)),
  );
  const fusedOut = rows.map((r, i) => cfg.fuseCascades && r.fuseNext && i + 1 < rows.length);

  rows.forEach((r, i) => {
    const out = outputSize(r);
    const pixBatches = Math.ceil((out.h * out.w) / cfg.parallelPixels);
    const flags: string[] = [];
    let computeCycles: number;
    let lanes = Math.ceil(r.numFilter / cfg.parallelChannels) * cfg.parallelChannels;
    let taps = 1;
    if (r.type === 'conv') {
      const c = convCycles(r, cfg, pixBatches);
      computeCycles = c.cycles;
      lanes = c.lanes;
      const [th, tw] = tapsPerOutput(r, cfg);
      taps = th * tw;
    } else if (r.type === 'maxpool' || r.type === 'avgpool') {
      taps = r.filterH * r.filterW;
      computeCycles = poolFused[i] ? 0 : pixBatches * Math.ceil(r.numFilter / cfg.parallelChannels) * taps;
    } else {
      // ccp: G comparisons; add: one step per operand; upsample: one copy.
      taps = r.type === 'upsample' ? 1 : r.channels / r.numFilter;
      computeCycles = virtualCcp[i] ? 0 : pixBatches * Math.ceil(r.numFilter / cfg.parallelChannels) * taps;
    }

    const inputInDram = !(i > 0 && fusedOut[i - 1]);
    const unpadded = (r.ifmapH - r.padH) * (r.ifmapW - r.padW) * r.channels;
    let ifmapRead = inputInDram ? bytes(unpadded, cfg.featureBits) : 0;
    if (!inputInDram) flags.push('fused-in');
    let stored = out.h * out.w * r.numFilter;
    let written = stored;
    if (fusedOut[i]) {
      // Only a line buffer of the map exists (counted in the feature SRAM), never the whole map.
      flags.push('fused-out');
      written = 0;
      stored = 0;
    }
    // Virtual feature maps: the conv writes only the pooled channels; the ccp row does nothing.
    if (i + 1 < rows.length && virtualCcp[i + 1]) {
      stored = out.h * out.w * rows[i + 1]!.numFilter;
      written = stored;
      flags.push('ccp-in-output-stage');
    }
    if (virtualCcp[i]) {
      ifmapRead = 0;
      stored = 0;
      written = 0;
      flags.push('virtual');
    }
    // Fused pooling: the producer writes the pooled map; the pool row moves nothing.
    const nextPool = rows.findIndex((_, j) => j > i && poolFused[j]);
    const producerOfPool = nextPool >= 0 && (nextPool === i + 1 || (nextPool === i + 2 && virtualCcp[i + 1]));
    if (producerOfPool) {
      const p = outputSize(rows[nextPool]!);
      written = p.h * p.w * rows[nextPool]!.numFilter;
      flags.push('pool-in-output-stage');
    }
    if (poolFused[i]) {
      ifmapRead = 0;
      written = 0;
      flags.push('pool-fused');
    }
    const filterRead = bytes(hwWeights(r), cfg.weightBits);
    const ofmapWrite = bytes(written, cfg.featureBits);
    const dram = ifmapRead + filterRead + ofmapWrite;
    const stallCycles = cfg.dramBytesPerCycle === null ? 0 : Math.max(0, Math.ceil(dram / cfg.dramBytesPerCycle) - computeCycles);
    const macs = hwMacs(r);
    layers.push({
      name: r.name,
      type: r.type,
      macs,
      taps,
      computeCycles,
      stallCycles,
      totalCycles: computeCycles + stallCycles,
      multipliers,
      mappingEfficiency: computeCycles === 0 ? 0 : (out.h * out.w * r.numFilter) / (pixBatches * cfg.parallelPixels * lanes),
      computeUtilization: computeCycles === 0 ? 0 : macs / (computeCycles * multipliers),
      dramIfmapReadBytes: ifmapRead,
      dramFilterReadBytes: filterRead,
      dramOfmapWriteBytes: ofmapWrite,
      storedElements: stored,
      flags,
    });
  });
  return {
    config: cfg,
    layers,
    macs: layers.reduce((s, l) => s + l.macs, 0),
    computeCycles: layers.reduce((s, l) => s + l.computeCycles, 0),
    totalCycles: layers.reduce((s, l) => s + l.totalCycles, 0),
    dramBytes: layers.reduce((s, l) => s + l.dramIfmapReadBytes + l.dramFilterReadBytes + l.dramOfmapWriteBytes, 0),
    maxStoredElements: Math.max(0, ...layers.map((l) => l.storedElements)),
  };
}
