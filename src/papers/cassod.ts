// repro cassod: CASSOD-Net's tables (docs/papers/cassod.md). Every count and cycle is taken on the
// layer specs of src/nets, costed by the accelerator model of src/hardware; only the MNIST table
// trains, and it costs the very spec it trains.
import { makeConfig, type AcceleratorConfig } from '../hardware/config.js';
import { lowerNetwork, type HwLayer } from '../hardware/layer.js';
import { costLayers, type NetworkCost } from '../hardware/model.js';
import { definePaper, oneCell, type RowOf } from '../harness/define-paper.js';
import { cassodModule, probeNetwork } from '../nets/blocks.js';
import { countNetwork, countTagged } from '../nets/counters.js';
import { mnistContext } from '../nets/mnist-nets.js';
import { MNIST_SIZES, mnistAccuracyRows, type MnistTableParams } from './mnist-accuracy.js';
import { jpu } from '../nets/jpu.js';
import { CONTEXT_DILATED_TAG, DEFAULT_CONTEXT_RATES, retinaFace, type SshLayer } from '../nets/retinaface.js';
import { resolveNetwork } from '../nets/shapes.js';
import type { ConvSpec, LayerSpec } from '../nets/spec.js';

const TABLES = {
  weights: {
    title: 'Filter weights, CASSOD vs 3x3 dilated (RetinaFace-mnet0.25 context module; JPU)',
    keyColumns: ['scope'],
    metrics: ['weights_baseline', 'weights_cassod', 'ratio_percent'],
  },
  speedup: {
    title: 'Hardware speed-up of native dilation over zero-stuffed kernels',
    keyColumns: ['filter', 'rate'],
    metrics: ['cycles_traditional', 'cycles_proposed', 'speedup'],
  },
  context_cycles: {
    title: 'Cycles of the context module: traditional vs proposed hardware',
    keyColumns: ['layer'],
    metrics: ['cycles_traditional', 'cycles_proposed_dilated', 'cycles_proposed_cassod', 'speedup_dilated', 'speedup_cassod'],
  },
  mnist: {
    title: 'Accuracy and cost (weights, MACs, cycles): cascaded 2x2 vs 3x3 dilated layers (embedded MNIST)',
    keyColumns: ['network', 'seed'],
    metrics: ['accuracy_percent', 'final_train_loss', 'weights', 'macs', 'cycles'],
  },
} as const;
type Row = RowOf<typeof TABLES>;

const RECON_NET =
  '[recon] previous work = RetinaFace-mnet0.25 (biubug6) whose SSH 16->16 layers are 3x3 dilated (conv5X5_2 d=2; conv7X7_2, conv7x7_3 d=3); ' +
  'CASSOD = depthwise 2x2 (d) -> regular 2x2 (d) per dilated layer';
const RECON_HW =
  '[recon] traditional hardware runs a k x k rate-d filter zero-stuffed, ((k-1)d+1)^2 taps; proposed visits k^2 taps; ' +
  'P_pix=16, P_oc=16, cycles = ceil(HoWo/P_pix) ceil(Cout/P_oc) (Cin/groups) taps';

/** The two accelerators compared: only the dilation support differs. */
export const PROPOSED: AcceleratorConfig = makeConfig({ name: 'proposed' });
export const TRADITIONAL: AcceleratorConfig = makeConfig({ name: 'traditional', dilation: 'zero-stuffed' });

/** Context layers whose rates the "previous work" sets (all SSH 3x3 layers for the ssh-all scope). */
const ALL_SSH_RATES: Partial<Record<SshLayer, number>> = { conv3X3: 1, conv5X5_1: 1, ...DEFAULT_CONTEXT_RATES };

// ---- table `weights` ----

/** Weight ratio of the replaced layers, CASSOD / dilated 3x3 (docs/papers/cassod.md "Module structure": (4/9)(1 + 1/C_out)). */
function weightRows(): Row[] {
  const rows: Row[] = [];
  const push = (scope: string, baseline: number, cassod: number, note: string) => {
    const key = { scope };
    rows.push(
      { table: 'weights', key, metric: 'weights_baseline', value: baseline, note },
      { table: 'weights', key, metric: 'weights_cassod', value: cassod, note },
      { table: 'weights', key, metric: 'ratio_percent', value: (100 * cassod) / baseline, note },
    );
  };
  const dilated = resolveNetwork(retinaFace({ variant: 'dilated' }));
  const cassod = resolveNetwork(retinaFace({ variant: 'cassod' }));
  push(
    'context-dilated',
    countTagged(dilated, CONTEXT_DILATED_TAG).weights,
    countTagged(cassod, CONTEXT_DILATED_TAG).weights,
    `${RECON_NET}; 9 layers (3 per SSH module); ratio = (4/9)(1+1/16) for every C_in`,
  );
  const dilatedAll = resolveNetwork(retinaFace({ variant: 'dilated', contextRates: ALL_SSH_RATES }));
  const cassodAll = resolveNetwork(retinaFace({ variant: 'cassod', contextRates: ALL_SSH_RATES }));
  push(
    'ssh-all',
    countTagged(dilatedAll, CONTEXT_DILATED_TAG).weights,
    countTagged(cassodAll, CONTEXT_DILATED_TAG).weights,
    '[recon] alternative reading: every SSH 3x3 layer (incl. 64->32 and 64->16) replaced by CASSOD',
  );
  push(
    'network',
    countNetwork(dilated).weights,
    countNetwork(cassod).weights,
    `whole detector, conv weights only (BN, biases excluded), 640x640; ${RECON_NET}`,
  );
  const jpuDilated = resolveNetwork(jpu({ variant: 'dilated' }));
  const jpuCassod = resolveNetwork(jpu({ variant: 'cassod' }));
  push(
    'jpu-depthwise',
    countTagged(jpuDilated, 'jpu-depthwise').weights,
    countTagged(jpuCassod, 'jpu-depthwise').weights,
    '[recon] EncNet+JPU (FastFCN, ResNet-50): each branch depthwise 3x3 (d=1,2,4,8) -> two cascaded depthwise 2x2 (d); pointwise kept',
  );
  return rows;
}

// ---- table `speedup` ----

/** A regular k x k conv at rate d with 'same' padding. */
function dilatedConv(k: number, d: number, out: number): ConvSpec {
  return { kind: 'conv', name: `conv${k}x${k}-d${d}`, out, k, dilation: d, pad: 'same' };
}

export const SPEEDUP_KERNELS = [2, 3, 5];
export const SPEEDUP_RATES = [1, 2, 3, 4];
/** Layer shape of the speed-up table: an SSH 16->16 context layer at stride 8 of a 640x640 input. */
const SPEEDUP_LAYER = { cin: 16, cout: 16, size: 80 };

/** A layer or module alone on the speed-up table's map, lowered like every other network. */
function speedupLayer(layer: LayerSpec): HwLayer[] {
  const { cin, size } = SPEEDUP_LAYER;
  return lowerNetwork(resolveNetwork(probeNetwork(layer.name, { h: size, w: size, c: cin }, [layer])));
}

function speedupRows(): Row[] {
  const { cin, cout, size } = SPEEDUP_LAYER;
  const rows: Row[] = [];
  const note = `${RECON_HW}; layer ${cin}->${cout} at ${size}x${size}`;
  for (const k of SPEEDUP_KERNELS) {
    for (const d of SPEEDUP_RATES) {
      const layer = speedupLayer(dilatedConv(k, d, cout));
      const trad = costLayers(layer, TRADITIONAL).computeCycles;
      const prop = costLayers(layer, PROPOSED).computeCycles;
      const key = { filter: `${k}x${k}`, rate: d };
      rows.push(
        { table: 'speedup', key, metric: 'cycles_traditional', value: trad, note },
        { table: 'speedup', key, metric: 'cycles_proposed', value: prop, note },
        { table: 'speedup', key, metric: 'speedup', value: trad / prop, note },
      );
    }
  }
  // CASSOD on the proposed hardware against a 3x3 rate-2 filter on traditional hardware.
  const d = 2;
  const trad = costLayers(speedupLayer(dilatedConv(3, d, cout)), TRADITIONAL).computeCycles;
  const cassod = costLayers(speedupLayer(cassodModule('cassod', cin, cout, d)), PROPOSED).computeCycles;
  const key = { filter: 'cassod 2x2+2x2 vs 3x3', rate: d };
  const cassodNote = `${note}; CASSOD = depthwise 2x2 + regular 2x2 on proposed hardware vs 3x3 d=2 zero-stuffed on traditional; the card's 3.13 counts taps of one channel only`;
  rows.push(
    { table: 'speedup', key, metric: 'cycles_traditional', value: trad, note: cassodNote },
    { table: 'speedup', key, metric: 'cycles_proposed', value: cassod, note: cassodNote },
    { table: 'speedup', key, metric: 'speedup', value: trad / cassod, note: cassodNote },
  );
  return rows;
}

// ---- table `context_cycles` ----

function cyclesByName(cost: NetworkCost): Map<string, number> {
  return new Map(cost.layers.map((l) => [l.name, l.computeCycles]));
}

function contextCycleRows(): Row[] {
  const dilated = resolveNetwork(retinaFace({ variant: 'dilated' }));
  const cassod = resolveNetwork(retinaFace({ variant: 'cassod' }));
  const tradCost = costLayers(lowerNetwork(dilated), TRADITIONAL);
  const propCost = costLayers(lowerNetwork(dilated), PROPOSED);
  const cassodCost = costLayers(lowerNetwork(cassod), PROPOSED);
  const trad = cyclesByName(tradCost);
  const prop = cyclesByName(propCost);
  const cas = cyclesByName(cassodCost);
  const rows: Row[] = [];
  const push = (layer: string, t: number, p: number, c: number, note: string) => {
    const key = { layer };
    rows.push(
      { table: 'context_cycles', key, metric: 'cycles_traditional', value: t, note },
      { table: 'context_cycles', key, metric: 'cycles_proposed_dilated', value: p, note },
      { table: 'context_cycles', key, metric: 'cycles_proposed_cassod', value: c, note },
      { table: 'context_cycles', key, metric: 'speedup_dilated', value: t / p, note },
      { table: 'context_cycles', key, metric: 'speedup_cassod', value: t / c, note },
    );
  };
  const contextLayers = dilated.layers.filter((l) => l.tags.includes(CONTEXT_DILATED_TAG));
  let sums = [0, 0, 0];
  for (const l of contextLayers) {
    const t = trad.get(l.name)!;
    const p = prop.get(l.name)!;
    const c = cas.get(`${l.name}.0`)! + cas.get(`${l.name}.1`)!;
    sums = [sums[0]! + t, sums[1]! + p, sums[2]! + c];
    const shape = `${l.inShapes[0]!.c}->${l.out.c} at ${l.out.h}x${l.out.w}, 3x3 d=${l.dilation}`;
    push(l.name, t, p, c, `${shape}; ${RECON_HW}`);
  }
  push('context total', sums[0]!, sums[1]!, sums[2]!, `sum over the 9 dilated context layers; ${RECON_NET}`);
  push(
    'network total',
    tradCost.computeCycles,
    propCost.computeCycles,
    cassodCost.computeCycles,
    'whole detector incl. pooling-free data movement (add, upsample) at 640x640; dilation only in the context layers',
  );
  return rows;
}

// ---- table `mnist` ----

const MNIST_NOTE =
  "[recon] classifier of this project (papers' network UNKNOWN): stem 3x3, two 16->16 context layers at rate 2 " +
  '(3x3 dilated, or CASSOD depthwise 2x2 -> regular 2x2 with no activation between), flatten, dense';

// ---- module ----

const MNIST_NETWORKS = ['dilated', 'cassod'] as const;

export const cassodPaper = definePaper({
  id: 'cassod',
  title: 'CASSOD-Net: Cascaded and Separable Structures of Dilated Convolution for Embedded Vision Systems and Applications',
  citation: 'Chen, Wang, Tao, Wen, Yin, Ito, Osa, Kato. CVPR Workshops (EVW) 2021, arXiv:2104.14126',
  summary: 'CASSOD-Net: weight ratio of cascaded 2x2 dilated filters (47 %), hardware speed-up (2.78x), context-module cycles',
  description:
    'Counts the filter weights of the RetinaFace context module with 3x3 dilated layers and with CASSOD modules, costs both on the ' +
    'parametric accelerator with and without native dilation, and trains a small classifier of each kind on embedded MNIST.',
  tables: TABLES,
  // Analytic tables are the same at every profile (milliseconds); only the MNIST training grows.
  profiles: { smoke: { mnist: MNIST_SIZES.smoke }, quick: { mnist: MNIST_SIZES.quick }, paper: { mnist: MNIST_SIZES.paper } },
  cells: {
    weights: oneCell('weights', weightRows),
    speedup: oneCell('speedup', speedupRows),
    context_cycles: oneCell('context_cycles', contextCycleRows),
    mnist: {
      plan: (size, seed) => MNIST_NETWORKS.map((network) => ({ id: `mnist-${network}`, params: { network, ...size.mnist }, seed })),
      run: (params: MnistTableParams & { network: (typeof MNIST_NETWORKS)[number] }, cell, ctx) =>
        mnistAccuracyRows('mnist', params.network, mnistContext(params.network), params, cell, ctx, MNIST_NOTE, PROPOSED),
    },
  },
});
