// Feature-map DRAM traffic of a costed network under a stated accounting: which reads and writes
// count, and whether max-pools are layers of their own (docs/papers/condensation.md "Bandwidth
// accounting"; the paper's own accounting is UNKNOWN, so the choice is a parameter).
import { makeConfig } from './config.js';
import type { HwLayer } from './layer.js';
import { costLayers, type NetworkCost } from './model.js';

export interface TrafficAccounting {
  /** Spatial max-pooling fused into the producer's output stage (else pools read and write DRAM). */
  fusePooling: boolean;
  /** Count the network input (the image) as read traffic. */
  includeImage: boolean;
  /** Count weight reads. */
  includeWeights: boolean;
}

/** Bytes read and written by the layers of `cost`, counted as `acc` says. */
export function featureTraffic(cost: NetworkCost, acc: TrafficAccounting): number {
  return cost.layers.reduce(
    (sum, l, i) => sum + l.dramOfmapWriteBytes + (i === 0 && !acc.includeImage ? 0 : l.dramIfmapReadBytes) + (acc.includeWeights ? l.dramFilterReadBytes : 0),
    0,
  );
}

/**
 * Costs `rows` on the default accelerator with virtual feature maps on or off, pooling fused as the
 * accounting says: pool fusion changes the traffic the hardware causes, not only what is counted.
 */
export function costForTraffic(rows: HwLayer[], virtualFeatureMaps: boolean, acc: TrafficAccounting): NetworkCost {
  return costLayers(rows, makeConfig({ virtualFeatureMaps, fusePooling: acc.fusePooling }));
}
