// Shape inference: expands cascades, resolves inputs, and computes every layer's output shape.
import type { ConvSpec, LayerSpec, NetworkSpec, Padding, Shape } from './spec.js';

export type ResolvedKind = 'conv' | 'maxpool' | 'avgpool' | 'ccp' | 'upsample' | 'concat' | 'add' | 'dense';

/** A layer after expansion and shape inference; every field the counters and cost models need. */
export interface ResolvedLayer {
  name: string;
  kind: ResolvedKind;
  inputs: string[];
  inShapes: Shape[];
  out: Shape;
  part: string;
  tags: string[];
  /** conv/pool window [kh, kw]; [1, 1] otherwise. */
  k: [number, number];
  stride: number;
  dilation: number;
  /** Convolution groups (channels for depthwise); 1 otherwise. */
  groups: number;
  /** [top, bottom, left, right]. */
  pad: [number, number, number, number];
  bias: boolean;
  /** ccp group size; 1 otherwise. */
  channelGroup: number;
  /** Activation of conv/dense layers in the tfjs model. */
  act: 'linear' | 'relu';
  cascade?: string;
}

export interface ResolvedNetwork {
  name: string;
  inputs: Record<string, Shape>;
  layers: ResolvedLayer[];
  outputs: string[];
}

/** Error in a network description (a programming error in a builder, or a bad user spec). */
export class NetworkSpecError extends Error {
  constructor(network: string, layer: string, problem: string) {
    super(`network '${network}', layer '${layer}': ${problem}`);
    this.name = 'NetworkSpecError';
  }
}

/** Flattens cascade layers into their stages (`<name>.<i>`). */
export function expandCascades(layers: LayerSpec[]): Exclude<LayerSpec, { kind: 'cascade' }>[] {
  const flat: Exclude<LayerSpec, { kind: 'cascade' }>[] = [];
  for (const layer of layers) {
    if (layer.kind !== 'cascade') {
      flat.push(layer);
      continue;
    }
    layer.stages.forEach((stage, i) => {
      const conv: ConvSpec = {
        ...stage,
        kind: 'conv',
        name: `${layer.name}.${i}`,
        from: i === 0 ? layer.from : `${layer.name}.${i - 1}`,
        cascade: layer.name,
        part: stage.part ?? layer.part,
        tags: stage.tags ?? layer.tags,
      };
      flat.push(conv);
    });
  }
  return flat;
}

function pair(k: number | [number, number]): [number, number] {
  return typeof k === 'number' ? [k, k] : k;
}

/** Effective (dilated) kernel extent: (k - 1) d + 1 (docs/papers/cassod.md "Geometry"). */
export function effectiveKernel(k: number, dilation: number): number {
  return (k - 1) * dilation + 1;
}

/** Output length of a window op over `len` with padding `before + after`. */
export function outLength(len: number, before: number, after: number, kEff: number, stride: number): number {
  return Math.floor((len + before + after - kEff) / stride) + 1;
}

function resolvePad(pad: Padding | undefined, input: Shape, kEff: [number, number], stride: number): [number, number, number, number] {
  if (pad === undefined) return [0, 0, 0, 0];
  if (typeof pad === 'number') return [pad, pad, pad, pad];
  if (pad === 'same') {
    // TensorFlow 'same': output = ceil(in / stride); extra padding goes to the bottom/right.
    const total = (len: number, k: number) => Math.max((Math.ceil(len / stride) - 1) * stride + k - len, 0);
    const th = total(input.h, kEff[0]);
    const tw = total(input.w, kEff[1]);
    return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
  }
  return pad;
}

/** Expands and shape-checks a network. Throws NetworkSpecError naming the layer at fault. */
export function resolveNetwork(net: NetworkSpec): ResolvedNetwork {
  const shapes = new Map<string, Shape>(Object.entries(net.inputs));
  const inputNames = Object.keys(net.inputs);
  const layers: ResolvedLayer[] = [];
  let previous: string | undefined = inputNames.length === 1 ? inputNames[0] : undefined;

  for (const spec of expandCascades(net.layers)) {
    const fail = (problem: string): never => {
      throw new NetworkSpecError(net.name, spec.name, problem);
    };
    if (shapes.has(spec.name)) fail('duplicate layer name');
    const inputs = spec.from === undefined ? (previous ? [previous] : []) : Array.isArray(spec.from) ? spec.from : [spec.from];
    if (inputs.length === 0) fail('no input: name it with `from`');
    const inShapes = inputs.map((n) => shapes.get(n) ?? fail(`unknown input '${n}'`));
    const x = inShapes[0]!;
    const base = {
      name: spec.name,
      inputs,
      inShapes,
      part: spec.part ?? '',
      tags: spec.tags ?? [],
      k: [1, 1] as [number, number],
      stride: 1,
      dilation: 1,
      groups: 1,
      pad: [0, 0, 0, 0] as [number, number, number, number],
      bias: false,
      channelGroup: 1,
      act: 'linear' as const,
    };
    let layer: ResolvedLayer;
    switch (spec.kind) {
      case 'conv': {
        const k = pair(spec.k);
        const stride = spec.stride ?? 1;
        const dilation = spec.dilation ?? 1;
        const groups = spec.groups === 'depthwise' ? x.c : (spec.groups ?? 1);
        if (x.c % groups !== 0 || spec.out % groups !== 0) fail(`groups ${groups} must divide input ${x.c} and output ${spec.out} channels`);
        const kEff: [number, number] = [effectiveKernel(k[0], dilation), effectiveKernel(k[1], dilation)];
        const pad = resolvePad(spec.pad, x, kEff, stride);
        if (pad.some((p) => !Number.isInteger(p) || p < 0)) fail(`padding ${JSON.stringify(spec.pad)} is not a non-negative integer`);
        const out = { h: outLength(x.h, pad[0], pad[1], kEff[0], stride), w: outLength(x.w, pad[2], pad[3], kEff[1], stride), c: spec.out };
        layer = { ...base, kind: 'conv', k, stride, dilation, groups, pad, bias: spec.bias ?? false, act: spec.act ?? 'linear', out, cascade: spec.cascade };
        break;
      }
      case 'maxpool':
      case 'avgpool': {
        const k: [number, number] = [spec.k, spec.k];
        const pad = resolvePad(spec.pad, x, k, spec.stride);
        const out = { h: outLength(x.h, pad[0], pad[1], spec.k, spec.stride), w: outLength(x.w, pad[2], pad[3], spec.k, spec.stride), c: x.c };
        layer = { ...base, kind: spec.kind, k, stride: spec.stride, pad, out };
        break;
      }
      case 'ccp':
        if (x.c % spec.group !== 0) fail(`cross-channel pooling group ${spec.group} does not divide ${x.c} channels`);
        layer = { ...base, kind: 'ccp', channelGroup: spec.group, out: { ...x, c: x.c / spec.group } };
        break;
      case 'upsample': {
        let out: Shape;
        if (spec.like !== undefined) {
          const target = shapes.get(spec.like) ?? fail(`unknown layer '${spec.like}' in like`);
          out = { h: target.h, w: target.w, c: x.c };
        } else {
          const f = spec.factor ?? fail('upsample needs factor or like');
          out = { h: x.h * f, w: x.w * f, c: x.c };
        }
        layer = { ...base, kind: 'upsample', out };
        break;
      }
      case 'concat':
      case 'add': {
        for (const s of inShapes) if (s.h !== x.h || s.w !== x.w) fail(`inputs differ in size (${inputs.join(', ')})`);
        if (spec.kind === 'add' && inShapes.some((s) => s.c !== x.c)) fail('add inputs differ in channels');
        const c = spec.kind === 'add' ? x.c : inShapes.reduce((sum, s) => sum + s.c, 0);
        layer = { ...base, kind: spec.kind, out: { h: x.h, w: x.w, c } };
        break;
      }
      case 'dense':
        layer = { ...base, kind: 'dense', bias: spec.bias ?? false, act: spec.act ?? 'linear', out: { h: 1, w: 1, c: spec.out } };
        break;
    }
    if (layer.out.h < 1 || layer.out.w < 1) fail(`output ${layer.out.h}x${layer.out.w} is empty`);
    shapes.set(layer.name, layer.out);
    layers.push(layer);
    previous = layer.name;
  }
  const outputs = net.outputs ?? (previous ? [previous] : []);
  for (const o of outputs) if (!shapes.has(o)) throw new NetworkSpecError(net.name, o, 'output is not a layer');
  return { name: net.name, inputs: net.inputs, layers, outputs };
}
