// Networks as data: one list of layer specs feeds shape inference, the counters (weights, MACs,
// feature-map sizes) and the hardware cost models (docs/DESIGN.md "One description per network").

/** A feature map: height x width x channels (batch excluded). */
export interface Shape {
  h: number;
  w: number;
  c: number;
}

/** Padding: a symmetric number, 'same' (output = ceil(input/stride)), or [top, bottom, left, right]. */
export type Padding = number | 'same' | [number, number, number, number];

interface LayerBase {
  name: string;
  /** Input layer name(s); default: the previous layer (or the only network input for the first layer). */
  from?: string | string[];
  /** Which part of the network the layer belongs to (backbone, fpn, ssh, head, ...), for breakdowns. */
  part?: string;
  /** Free labels, e.g. 'context-dilated' for the layers a paper replaces. */
  tags?: string[];
}

/**
 * Convolution: regular (groups 1), depthwise (groups 'depthwise': one filter group per input
 * channel), grouped, pointwise (k 1), dilated (dilation > 1).
 */
export interface ConvSpec extends LayerBase {
  kind: 'conv';
  out: number;
  k: number | [number, number];
  stride?: number;
  dilation?: number;
  groups?: number | 'depthwise';
  pad?: Padding;
  bias?: boolean;
  /** Activation after the layer in the tfjs model (the counters ignore it). */
  act?: Activation;
  /**
   * Name of the cascade this layer belongs to: consecutive layers with the same cascade name may
   * keep their intermediate map on chip (docs/papers/cassod.md "Suggested cycle model": "cascade ... fused on-chip").
   */
  cascade?: string;
}

export interface PoolSpec extends LayerBase {
  kind: 'maxpool' | 'avgpool';
  k: number;
  stride: number;
  pad?: Padding;
}

/** Cross-channel pooling (docs/papers/condensation.md "Cross-channel pooling"): max over `group` adjacent channels. */
export interface CrossChannelPoolSpec extends LayerBase {
  kind: 'ccp';
  group: number;
}

/** Nearest-neighbour upsampling by an integer factor, or to the size of another layer. */
export interface UpsampleSpec extends LayerBase {
  kind: 'upsample';
  factor?: number;
  /** Layer whose output size to match (as in the RetinaFace FPN). */
  like?: string;
}

export interface ConcatSpec extends LayerBase {
  kind: 'concat';
  from: string[];
}

export interface AddSpec extends LayerBase {
  kind: 'add';
  from: string[];
}

/** Fully connected layer over the flattened input. */
export interface DenseSpec extends LayerBase {
  kind: 'dense';
  out: number;
  bias?: boolean;
  act?: Activation;
}

export type Activation = 'linear' | 'relu';

/**
 * A cascade of convolutions (CASSOD: two 2x2 dilated filters in series). It expands into its stages,
 * named `<name>.<i>`, each tagged with the cascade name.
 */
export interface CascadeSpec extends LayerBase {
  kind: 'cascade';
  stages: Omit<ConvSpec, 'name' | 'from' | 'kind' | 'cascade'>[];
}

export type LayerSpec = ConvSpec | PoolSpec | CrossChannelPoolSpec | UpsampleSpec | ConcatSpec | AddSpec | DenseSpec | CascadeSpec;

export interface NetworkSpec {
  name: string;
  /** Named inputs, e.g. { image: {h: 640, w: 640, c: 3} }. */
  inputs: Record<string, Shape>;
  layers: LayerSpec[];
  /** Layers whose outputs are the network's outputs (default: the last layer). */
  outputs?: string[];
}
