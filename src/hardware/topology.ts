// SCALE-Sim topology CSV in and out: `Layer name, IFMAP Height, IFMAP Width, Filter Height,
// Filter Width, Channels, Num Filter, Strides,` plus optional extension columns
// `Dilation, Groups, Pad Height, Pad Width, Type, Fuse Next,` (issue 4, "Hardware models").
// A plain SCALE-Sim file (8 columns, trailing comma) is read as conv layers with dilation 1, groups 1.
import { InputError } from '../core/errors.js';
import { binaryAt, quoted, stripBom } from '../core/text.js';
import { HW_LAYER_TYPES, outputSize, type HwLayer, type HwLayerType } from './layer.js';

export const SCALESIM_COLUMNS = ['Layer name', 'IFMAP Height', 'IFMAP Width', 'Filter Height', 'Filter Width', 'Channels', 'Num Filter', 'Strides'] as const;

export const EXTENSION_COLUMNS = ['Dilation', 'Groups', 'Pad Height', 'Pad Width', 'Type', 'Fuse Next'] as const;

type Column = (typeof SCALESIM_COLUMNS)[number] | (typeof EXTENSION_COLUMNS)[number];

const FIELD: Record<Exclude<Column, 'Layer name' | 'Type' | 'Fuse Next'>, keyof HwLayer> = {
  'IFMAP Height': 'ifmapH',
  'IFMAP Width': 'ifmapW',
  'Filter Height': 'filterH',
  'Filter Width': 'filterW',
  Channels: 'channels',
  'Num Filter': 'numFilter',
  Strides: 'stride',
  Dilation: 'dilation',
  Groups: 'groups',
  'Pad Height': 'padH',
  'Pad Width': 'padW',
};

/**
 * The allowed range of each number column: far above real networks, low enough that every count the
 * model derives (MACs, cycles, bytes) is an exact double, never Infinity or NaN.
 */
export const COLUMN_RANGES: Record<keyof typeof FIELD, [number, number]> = {
  'IFMAP Height': [1, 65536],
  'IFMAP Width': [1, 65536],
  'Filter Height': [1, 4096],
  'Filter Width': [1, 4096],
  Channels: [1, 1048576],
  'Num Filter': [1, 1048576],
  Strides: [1, 4096],
  Dilation: [1, 4096],
  Groups: [1, 1048576],
  'Pad Height': [0, 65535],
  'Pad Width': [0, 65535],
};

/** Above this a layer's MAC count (and the cycles and bytes that follow) would no longer be an exact integer. */
const MAX_LAYER_MACS = Number.MAX_SAFE_INTEGER;

/** Writes rows with every column (SCALE-Sim's 8, then the extensions), each line ending in a comma as SCALE-Sim does. */
export function formatTopology(rows: HwLayer[]): string {
  const lines = [[...SCALESIM_COLUMNS, ...EXTENSION_COLUMNS].join(', ') + ','];
  for (const r of rows) {
    const cells = [
      r.name,
      r.ifmapH,
      r.ifmapW,
      r.filterH,
      r.filterW,
      r.channels,
      r.numFilter,
      r.stride,
      r.dilation,
      r.groups,
      r.padH,
      r.padW,
      r.type,
      r.fuseNext ? 1 : 0,
    ];
    lines.push(cells.join(', ') + ',');
  }
  return lines.join('\n') + '\n';
}

interface Field {
  text: string;
  column: number;
}

/** Splits one line at commas, keeping each field's 1-based column (of its first non-blank character). */
function splitLine(line: string): Field[] {
  const fields: Field[] = [];
  let start = 0;
  for (let i = 0; i <= line.length; i++) {
    if (i === line.length || line[i] === ',') {
      const raw = line.slice(start, i);
      const lead = raw.length - raw.trimStart().length;
      fields.push({ text: raw.trim(), column: start + lead + 1 });
      start = i + 1;
    }
  }
  // SCALE-Sim lines end with a comma: drop the empty field after it.
  if (fields.length > 1 && fields[fields.length - 1]!.text === '') fields.pop();
  return fields;
}

/**
 * Parses a topology CSV. Throws InputError (exit 2) naming `file:line:column`, the problem and the fix.
 */
export function parseTopology(text: string, file: string): HwLayer[] {
  const err = (line: number, column: number, problem: string, fix: string): never => {
    throw new InputError(`${file}:${line}:${column}: ${problem}. ${fix}`);
  };
  const binary = binaryAt(text);
  if (binary >= 0) {
    const before = text.slice(0, binary).split('\n');
    err(
      before.length,
      before.at(-1)!.length + 1,
      'not a text file (binary data)',
      `Give a SCALE-Sim topology CSV starting with the header: ${SCALESIM_COLUMNS.join(', ')},`,
    );
  }
  const lines = stripBom(text).split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) err(1, 1, 'the topology is empty', `Start with the header: ${SCALESIM_COLUMNS.join(', ')},`);
  const header = splitLine(lines[headerIndex]!);
  const known = new Map<string, Column>([...SCALESIM_COLUMNS, ...EXTENSION_COLUMNS].map((c) => [c.toLowerCase(), c]));
  const columnOf = new Map<Column, number>();
  header.forEach((f, idx) => {
    const name = known.get(f.text.toLowerCase().replace(/\s+/g, ' '));
    if (!name) {
      err(headerIndex + 1, f.column, `unknown column '${quoted(f.text)}'`, `Columns are ${[...SCALESIM_COLUMNS, ...EXTENSION_COLUMNS].join(', ')}`);
    }
    if (columnOf.has(name!)) err(headerIndex + 1, f.column, `column '${quoted(f.text)}' appears twice`, 'Remove the duplicate');
    columnOf.set(name!, idx);
  });
  for (const c of SCALESIM_COLUMNS) {
    if (!columnOf.has(c)) err(headerIndex + 1, 1, `the header has no '${c}' column`, `SCALE-Sim's columns are ${SCALESIM_COLUMNS.join(', ')}`);
  }

  const rows: HwLayer[] = [];
  const names = new Set<string>();
  for (let li = headerIndex + 1; li < lines.length; li++) {
    const line = lines[li]!;
    const lineNo = li + 1;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (line.includes('"')) err(lineNo, line.indexOf('"') + 1, 'quoted fields are not supported', 'Remove the quotes; layer names may not contain commas');
    const fields = splitLine(line);
    if (fields.length !== header.length) {
      const col = fields[Math.min(fields.length, header.length) - 1]?.column ?? 1;
      err(lineNo, col, `${fields.length} fields but the header has ${header.length} columns`, 'Give every column a value');
    }
    const get = (c: Column): Field | undefined => {
      const idx = columnOf.get(c);
      return idx === undefined ? undefined : fields[idx];
    };
    const int = (c: keyof typeof FIELD, fallback: number): number => {
      const f = get(c);
      if (!f) return fallback;
      const [min, max] = COLUMN_RANGES[c];
      const fix = `Write ${c} as a whole number from ${min} to ${max}`;
      if (!/^\d+$/.test(f.text)) err(lineNo, f.column, `${c} '${quoted(f.text)}' is not a whole number`, fix);
      // Compared as text first: a 400-digit number is beyond any double.
      const v = f.text.replace(/^0+(?=\d)/, '').length > String(max).length ? Infinity : Number(f.text);
      if (v < min || v > max) err(lineNo, f.column, `${c} ${quoted(f.text, 24)} is outside the allowed range ${min} to ${max}`, fix);
      return v;
    };
    const nameField = get('Layer name')!;
    if (nameField.text === '') err(lineNo, nameField.column, 'the layer has no name', 'Name every layer');
    if (names.has(nameField.text)) err(lineNo, nameField.column, `layer name '${quoted(nameField.text)}' is used twice`, 'Give every layer a unique name');
    names.add(nameField.text);
    const typeField = get('Type');
    const type = (typeField?.text || 'conv') as HwLayerType;
    if (!HW_LAYER_TYPES.includes(type))
      err(lineNo, typeField!.column, `unknown layer type '${quoted(typeField!.text)}'`, `Types are ${HW_LAYER_TYPES.join(', ')}`);
    const fuseField = get('Fuse Next');
    if (fuseField && !['0', '1', ''].includes(fuseField.text))
      err(lineNo, fuseField.column, `Fuse Next '${quoted(fuseField.text)}' is not 0 or 1`, 'Write 0 or 1');
    const row: HwLayer = {
      name: nameField.text,
      type,
      ifmapH: 0,
      ifmapW: 0,
      filterH: 0,
      filterW: 0,
      channels: 0,
      numFilter: 0,
      stride: 0,
      dilation: 0,
      groups: 0,
      padH: 0,
      padW: 0,
      fuseNext: fuseField?.text === '1',
    };
    for (const [c, key] of Object.entries(FIELD) as [keyof typeof FIELD, keyof HwLayer][]) {
      const isPad = c === 'Pad Height' || c === 'Pad Width';
      (row as unknown as Record<string, number>)[key] = int(c, isPad ? 0 : 1);
    }
    // Consistency: padding inside the map, groups dividing channels, a non-empty output.
    const cell = (c: Column) => get(c) ?? nameField;
    if (row.padH >= row.ifmapH)
      err(
        lineNo,
        cell('Pad Height').column,
        `Pad Height ${row.padH} is not smaller than IFMAP Height ${row.ifmapH}`,
        'IFMAP Height includes the padding (as in SCALE-Sim)',
      );
    if (row.padW >= row.ifmapW)
      err(
        lineNo,
        cell('Pad Width').column,
        `Pad Width ${row.padW} is not smaller than IFMAP Width ${row.ifmapW}`,
        'IFMAP Width includes the padding (as in SCALE-Sim)',
      );
    if (row.channels % row.groups !== 0 || row.numFilter % row.groups !== 0) {
      err(
        lineNo,
        cell('Groups').column,
        `Groups ${row.groups} does not divide Channels ${row.channels} and Num Filter ${row.numFilter}`,
        'Use groups = channels for depthwise, 1 for regular convolution',
      );
    }
    if (type === 'ccp' && row.channels % row.numFilter !== 0) {
      err(
        lineNo,
        cell('Num Filter').column,
        `cross-channel pooling maps ${row.channels} to ${row.numFilter} channels, not a whole group`,
        'Num Filter must divide Channels',
      );
    }
    const out = outputSize(row);
    if (out.h < 1 || out.w < 1) {
      err(
        lineNo,
        cell('Filter Height').column,
        `the filter (dilated extent) is larger than the ${row.ifmapH}x${row.ifmapW} input`,
        'Check IFMAP, filter size, dilation and stride',
      );
    }
    const macs = out.h * out.w * row.filterH * row.filterW * (row.channels / row.groups) * row.numFilter;
    if (!(macs <= MAX_LAYER_MACS)) {
      err(
        lineNo,
        nameField.column,
        `layer '${quoted(row.name)}' has ${macs.toExponential(3)} multiply-accumulates, beyond the ${MAX_LAYER_MACS} the model counts exactly`,
        'Check IFMAP, Channels and Num Filter',
      );
    }
    rows.push(row);
  }
  if (rows.length === 0) err(lines.length, 1, 'the topology has a header but no layers', 'Add one line per layer');
  return rows;
}
