// The hardware view of a layer: one row of a SCALE-Sim topology plus the extension columns
// (dilation, groups, padding, layer type, cascade fusion), and the lowering of a network to it.
import { effectiveKernel, type ResolvedLayer, type ResolvedNetwork } from '../nets/shapes.js';

export const HW_LAYER_TYPES = ['conv', 'maxpool', 'avgpool', 'ccp', 'add', 'upsample'] as const;
export type HwLayerType = (typeof HW_LAYER_TYPES)[number];

/**
 * One layer as an accelerator sees it. As in SCALE-Sim, `ifmapH`/`ifmapW` include the padding
 * (`padH`/`padW` rows and columns of it), so the output is (ifmap − effective filter)/stride + 1.
 * ccp: channels = G·N in, numFilter = N out. add: channels = all operands' channels, numFilter = output
 * channels. upsample: filterH/W = the integer factor.
 */
export interface HwLayer {
  name: string;
  type: HwLayerType;
  ifmapH: number;
  ifmapW: number;
  filterH: number;
  filterW: number;
  channels: number;
  numFilter: number;
  stride: number;
  dilation: number;
  groups: number;
  padH: number;
  padW: number;
  /** The output feeds the next row through an on-chip line buffer (a CASSOD cascade). */
  fuseNext: boolean;
}

export function outputSize(l: HwLayer): { h: number; w: number } {
  if (l.type === 'conv' || l.type === 'maxpool' || l.type === 'avgpool') {
    return {
      h: Math.floor((l.ifmapH - effectiveKernel(l.filterH, l.dilation)) / l.stride) + 1,
      w: Math.floor((l.ifmapW - effectiveKernel(l.filterW, l.dilation)) / l.stride) + 1,
    };
  }
  if (l.type === 'upsample') return { h: l.ifmapH * l.filterH, w: l.ifmapW * l.filterW };
  return { h: l.ifmapH, w: l.ifmapW };
}

/** Filter weights of a row (conv only): fh·fw·(channels/groups)·numFilter. */
export function hwWeights(l: HwLayer): number {
  return l.type === 'conv' ? l.filterH * l.filterW * (l.channels / l.groups) * l.numFilter : 0;
}

/** MACs of a row (conv only): Ho·Wo·numFilter·(channels/groups)·fh·fw. */
export function hwMacs(l: HwLayer): number {
  if (l.type !== 'conv') return 0;
  const o = outputSize(l);
  return o.h * o.w * hwWeights(l);
}

function lowerLayer(layer: ResolvedLayer, next: ResolvedLayer | undefined): HwLayer | null {
  const x = layer.inShapes[0]!;
  const [t, b, left, r] = layer.pad;
  const base = {
    name: layer.name,
    ifmapH: x.h + t + b,
    ifmapW: x.w + left + r,
    filterH: 1,
    filterW: 1,
    channels: x.c,
    numFilter: layer.out.c,
    stride: 1,
    dilation: 1,
    groups: 1,
    padH: t + b,
    padW: left + r,
    fuseNext: false,
  };
  switch (layer.kind) {
    case 'conv':
      return {
        ...base,
        type: 'conv',
        filterH: layer.k[0],
        filterW: layer.k[1],
        stride: layer.stride,
        dilation: layer.dilation,
        groups: layer.groups,
        fuseNext: layer.cascade !== undefined && next?.cascade === layer.cascade,
      };
    case 'dense':
      // A dense layer is a 1x1 convolution over the flattened input.
      return { ...base, type: 'conv', ifmapH: 1, ifmapW: 1, padH: 0, padW: 0, channels: x.h * x.w * x.c };
    case 'maxpool':
    case 'avgpool':
      return { ...base, type: layer.kind, filterH: layer.k[0], filterW: layer.k[1], stride: layer.stride };
    case 'ccp':
      return { ...base, type: 'ccp' };
    case 'add':
      return { ...base, type: 'add', channels: layer.inShapes.reduce((s, i) => s + i.c, 0) };
    case 'upsample': {
      const f = layer.out.h / x.h;
      if (!Number.isInteger(f) || layer.out.w / x.w !== f) throw new RangeError(`${layer.name}: upsampling ${x.h}->${layer.out.h} is not by an integer factor`);
      return { ...base, type: 'upsample', filterH: f, filterW: f };
    }
    case 'concat':
      return null; // the parts are written where the concatenation lives: no work, no traffic
  }
}

/** Lowers a resolved network to topology rows in layer order (concatenations vanish). */
export function lowerNetwork(net: ResolvedNetwork): HwLayer[] {
  const rows: HwLayer[] = [];
  net.layers.forEach((layer, i) => {
    const row = lowerLayer(layer, net.layers[i + 1]);
    if (row) rows.push(row);
  });
  return rows;
}
