// Counters per layer and in total: weights, MACs, feature-map sizes (docs/papers/: "conv weights only,
// BN excluded"; MACs = Ho·Wo·Cout·(Cin/groups)·kh·kw).
import type { ResolvedLayer, ResolvedNetwork } from './shapes.js';
import type { Shape } from './spec.js';

export interface LayerCounts {
  name: string;
  kind: ResolvedLayer['kind'];
  part: string;
  /** Filter weights (plus biases when the layer has them). */
  weights: number;
  /** Multiply-accumulates of one forward pass (batch 1). */
  macs: number;
  /** Elements of all input maps and of the output map. */
  inputElements: number;
  outputElements: number;
}

export function elements(s: Shape): number {
  return s.h * s.w * s.c;
}

/** Weights of one layer: kh·kw·(Cin/groups)·Cout (+ Cout biases); dense: Cin_flat·out (+ out). */
export function layerWeights(layer: ResolvedLayer): number {
  const cin = layer.inShapes[0]!.c;
  if (layer.kind === 'conv') {
    return layer.k[0] * layer.k[1] * (cin / layer.groups) * layer.out.c + (layer.bias ? layer.out.c : 0);
  }
  if (layer.kind === 'dense') return elements(layer.inShapes[0]!) * layer.out.c + (layer.bias ? layer.out.c : 0);
  return 0;
}

/** MACs of one layer: Ho·Wo·Cout·(Cin/groups)·kh·kw; dense: Cin_flat·out; others 0. */
export function layerMacs(layer: ResolvedLayer): number {
  const cin = layer.inShapes[0]!.c;
  if (layer.kind === 'conv') return layer.out.h * layer.out.w * layer.out.c * (cin / layer.groups) * layer.k[0] * layer.k[1];
  if (layer.kind === 'dense') return elements(layer.inShapes[0]!) * layer.out.c;
  return 0;
}

export function countLayer(layer: ResolvedLayer): LayerCounts {
  return {
    name: layer.name,
    kind: layer.kind,
    part: layer.part,
    weights: layerWeights(layer),
    macs: layerMacs(layer),
    inputElements: layer.inShapes.reduce((sum, s) => sum + elements(s), 0),
    outputElements: elements(layer.out),
  };
}

export interface NetworkCounts {
  layers: LayerCounts[];
  weights: number;
  macs: number;
  /** Largest single output map (elements): the peak a layer-by-layer schedule must store. */
  maxOutputElements: number;
  byPart: Record<string, { weights: number; macs: number }>;
}

export function countNetwork(net: ResolvedNetwork): NetworkCounts {
  const layers = net.layers.map(countLayer);
  const byPart: Record<string, { weights: number; macs: number }> = {};
  for (const l of layers) {
    const p = (byPart[l.part] ??= { weights: 0, macs: 0 });
    p.weights += l.weights;
    p.macs += l.macs;
  }
  return {
    layers,
    weights: layers.reduce((s, l) => s + l.weights, 0),
    macs: layers.reduce((s, l) => s + l.macs, 0),
    maxOutputElements: Math.max(0, ...layers.map((l) => l.outputElements)),
    byPart,
  };
}

/** Sum of weights and MACs over the layers that carry a tag. */
export function countTagged(net: ResolvedNetwork, tag: string): { weights: number; macs: number; layers: number } {
  const tagged = net.layers.filter((l) => l.tags.includes(tag));
  return {
    weights: tagged.reduce((s, l) => s + layerWeights(l), 0),
    macs: tagged.reduce((s, l) => s + layerMacs(l), 0),
    layers: tagged.length,
  };
}
