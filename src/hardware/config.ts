// Accelerator configuration: a JSON file validated with ajv against ACCELERATOR_CONFIG_SCHEMA, with
// documented defaults. Every default is an assumption [recon]: the three papers do not publish PE
// counts, memories, clock or data widths (docs/papers/cassod.md "Hardware model", docs/papers/ddc.md "Accelerator architecture").
import { Ajv, type ErrorObject } from 'ajv';
import { InputError } from '../core/errors.js';
import { binaryAt, stripBom } from '../core/text.js';
import { JsonSyntaxError, parseJsonWithPositions, type SourcePosition } from './json-positions.js';

export interface GateCosts {
  /** NAND2-equivalent gates of a 2-input AND. */
  and2: number;
  fullAdder: number;
  /** One flip-flop (register bit). */
  dff: number;
  /** One bit of a 2:1 multiplexer. */
  mux2: number;
}

export interface AcceleratorConfig {
  name: string;
  /** P_pix: output pixels computed in parallel. */
  parallelPixels: number;
  /** P_oc: output channels computed in parallel. */
  parallelChannels: number;
  /** native: only the k² real taps are visited (address stride d); zero-stuffed: ((k−1)d+1)² taps. */
  dilation: 'native' | 'zero-stuffed';
  /** native: each channel lane reads its own input channel; broadcast: lanes share one input channel. */
  depthwise: 'native' | 'broadcast';
  /** 1: no intra-kernel parallelism (taps sequential); w > 1: each PE group computes a w×w window per cycle. */
  kernelWindow: number;
  featureBits: number;
  weightBits: number;
  accumulatorBits: number;
  clockMHz: number;
  /** On-chip feature SRAM (line buffers); null: sized to the network (largest line buffer). */
  featureSramBytes: number | null;
  /** On-chip weight SRAM; null: sized to the network (largest P_oc batch of filters). */
  weightSramBytes: number | null;
  /** DRAM bandwidth; null: unlimited (no stall cycles). */
  dramBytesPerCycle: number | null;
  /** Cross-channel pooling in the output stage, so the pre-pooling map is never stored (Condensation-Net). */
  virtualFeatureMaps: boolean;
  /** Keep the intermediate map of a cascade on chip (CASSOD). */
  fuseCascades: boolean;
  /** Spatial max-pooling in the preceding conv's output stage (no extra DRAM traffic). */
  fusePooling: boolean;
  /** Hardware support for cross-channel pooling (adds comparators and one output tile of buffer). */
  crossChannelPooling: boolean;
  /** Channel group size G the cross-channel pooling hardware supports. */
  crossChannelGroup: number;
  gates: GateCosts;
}

/** The proposed design of the three papers, as reconstructed: the defaults of every field. */
export const DEFAULT_CONFIG: AcceleratorConfig = {
  name: 'proposed',
  parallelPixels: 16,
  parallelChannels: 16,
  dilation: 'native',
  depthwise: 'native',
  kernelWindow: 1,
  featureBits: 8,
  weightBits: 8,
  accumulatorBits: 24,
  clockMHz: 400,
  featureSramBytes: null,
  weightSramBytes: null,
  dramBytesPerCycle: null,
  virtualFeatureMaps: true,
  fuseCascades: true,
  fusePooling: false,
  crossChannelPooling: true,
  crossChannelGroup: 2,
  gates: { and2: 1.33, fullAdder: 7, dff: 5, mux2: 2.33 },
};

// Every number has an upper bound, far above any real design but low enough that cycle, gate and
// byte counts stay exact doubles: 1e308 PEs would print Infinity and NaN instead of an error.
const positiveInt = (description: string, def: number, maximum: number) => ({
  type: 'integer',
  minimum: 1,
  maximum,
  default: def,
  description: `${description} (1 to ${maximum})`,
});
const sizeOrNull = (description: string, maximum: number) => ({
  type: ['integer', 'null'],
  minimum: 1,
  maximum,
  default: null,
  description: `${description} (1 to ${maximum}, or null)`,
});
const gateCost = (def: number) => ({ type: 'number', minimum: 0, maximum: 1e6, default: def });
/** 2^48 bytes (256 TiB) of SRAM. */
const MAX_SRAM_BYTES = 2 ** 48;

/** JSON Schema of a configuration file; `repro hw --print-schema` prints it. */
export const ACCELERATOR_CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'repro accelerator configuration',
  description:
    'Parametric accelerator of the CASSOD, DDC and Condensation-Net cards (docs/papers/). Omitted fields take the defaults shown; all defaults are assumptions [recon].',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', minLength: 1, maxLength: 200, default: DEFAULT_CONFIG.name, description: 'label used in reports' },
    parallelPixels: positiveInt('P_pix: output pixels computed in parallel', DEFAULT_CONFIG.parallelPixels, 65536),
    parallelChannels: positiveInt('P_oc: output channels computed in parallel', DEFAULT_CONFIG.parallelChannels, 65536),
    dilation: {
      enum: ['native', 'zero-stuffed'],
      default: DEFAULT_CONFIG.dilation,
      description: 'native: k² taps with address stride d; zero-stuffed: ((k-1)d+1)² taps (traditional hardware)',
    },
    depthwise: {
      enum: ['native', 'broadcast'],
      default: DEFAULT_CONFIG.depthwise,
      description: 'native: lanes read different input channels; broadcast: one input channel shared by all lanes',
    },
    kernelWindow: positiveInt(
      '1: taps processed sequentially (proposed); w>1: each PE group computes a w x w window per cycle (related works)',
      DEFAULT_CONFIG.kernelWindow,
      64,
    ),
    featureBits: positiveInt('bits per feature-map element', DEFAULT_CONFIG.featureBits, 64),
    weightBits: positiveInt('bits per weight', DEFAULT_CONFIG.weightBits, 64),
    accumulatorBits: positiveInt('bits per accumulator', DEFAULT_CONFIG.accumulatorBits, 128),
    clockMHz: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1e6,
      default: DEFAULT_CONFIG.clockMHz,
      description: 'clock for the time column of reports (above 0, at most 1e6)',
    },
    featureSramBytes: sizeOrNull('feature (line-buffer) SRAM in bytes; null: sized to the network', MAX_SRAM_BYTES),
    weightSramBytes: sizeOrNull('weight SRAM in bytes; null: sized to the network', MAX_SRAM_BYTES),
    dramBytesPerCycle: {
      type: ['number', 'null'],
      exclusiveMinimum: 0,
      maximum: 2 ** 30,
      default: null,
      description: `DRAM bytes per cycle (above 0, at most ${2 ** 30}); null: unlimited (no stalls)`,
    },
    virtualFeatureMaps: {
      type: 'boolean',
      default: DEFAULT_CONFIG.virtualFeatureMaps,
      description: 'cross-channel pooling before the store (Condensation-Net)',
    },
    fuseCascades: { type: 'boolean', default: DEFAULT_CONFIG.fuseCascades, description: "keep a cascade's intermediate map on chip (CASSOD)" },
    fusePooling: { type: 'boolean', default: DEFAULT_CONFIG.fusePooling, description: "max-pooling in the preceding conv's output stage" },
    crossChannelPooling: { type: 'boolean', default: DEFAULT_CONFIG.crossChannelPooling, description: 'hardware support for cross-channel pooling' },
    crossChannelGroup: positiveInt('channel group size G of the cross-channel pooling hardware', DEFAULT_CONFIG.crossChannelGroup, 1024),
    gates: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'NAND2-equivalent gate costs of the area model (rough standard-cell figures) [recon]',
      properties: {
        and2: gateCost(DEFAULT_CONFIG.gates.and2),
        fullAdder: gateCost(DEFAULT_CONFIG.gates.fullAdder),
        dff: gateCost(DEFAULT_CONFIG.gates.dff),
        mux2: gateCost(DEFAULT_CONFIG.gates.mux2),
      },
    },
  },
} as const;

let validator: ReturnType<Ajv['compile']> | null = null;

function getValidator() {
  validator ??= new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true }).compile(ACCELERATOR_CONFIG_SCHEMA);
  return validator;
}

/** A copy of the defaults with `overrides` applied (for library use; no validation). */
export function makeConfig(overrides: Partial<AcceleratorConfig> = {}): AcceleratorConfig {
  return { ...DEFAULT_CONFIG, ...overrides, gates: { ...DEFAULT_CONFIG.gates, ...overrides.gates } };
}

function describe(error: ErrorObject): { pointer: string; text: string } {
  if (error.keyword === 'additionalProperties') {
    const prop = (error.params as { additionalProperty: string }).additionalProperty;
    return { pointer: `${error.instancePath}/${prop}`, text: `unknown setting '${prop}'` };
  }
  const where = error.instancePath || '(top level)';
  const allowed = error.keyword === 'enum' ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : rangeOf(error.parentSchema);
  return { pointer: error.instancePath, text: `${where} ${error.message}${allowed}` };
}

/** ' (allowed: 1 to 65536)' for a bounded number's schema, else ''. */
function rangeOf(schema: unknown): string {
  const s = schema as { minimum?: number; exclusiveMinimum?: number; maximum?: number } | undefined;
  if (s?.maximum === undefined) return '';
  const low = s.minimum !== undefined ? `${s.minimum}` : s.exclusiveMinimum !== undefined ? `above ${s.exclusiveMinimum}` : '';
  return ` (allowed: ${low} to ${s.maximum})`;
}

function at(file: string, p: SourcePosition | undefined): string {
  return p ? `${file}:${p.line}:${p.column}` : file;
}

/**
 * Parses and validates a configuration file's text; omitted fields take the defaults.
 * Throws InputError (exit 2) naming file:line:column and the fix.
 */
export function parseConfig(text: string, file: string): AcceleratorConfig {
  const binary = binaryAt(text);
  if (binary >= 0)
    throw new InputError(
      `${file}: not a text file (binary data at character ${binary + 1}). Fix: give the JSON configuration (repro hw --print-defaults writes one).`,
    );
  let parsed;
  try {
    parsed = parseJsonWithPositions(stripBom(text));
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      throw new InputError(`${at(file, error.position)}: not valid JSON: ${error.message}. Fix the syntax (see repro hw --print-schema).`);
    }
    throw error;
  }
  const data = parsed.value;
  const validate = getValidator();
  if (!validate(data)) {
    const lines = (validate.errors ?? []).map((e) => {
      const { pointer, text: message } = describe(e);
      return `${at(file, parsed.positions.get(pointer))}: ${message}`;
    });
    throw new InputError(`${[...new Set(lines)].join('\n')}\nFix the configuration (repro hw --print-schema shows every setting and its default).`);
  }
  return data as AcceleratorConfig;
}
