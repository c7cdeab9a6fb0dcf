// SCALE-Sim topology CSV: round trips and bad inputs (file:line:column, exit code 2).
import { describe, expect, it } from 'vitest';
import { formatTopology, lowerNetwork, networkTopology, parseTopology } from '../../src/hardware/index.js';
import { InputError } from '../../src/core/errors.js';
import { NETWORKS, resolveNetwork } from '../../src/nets/index.js';

describe('topology round trip', () => {
  it.each(Object.keys(NETWORKS))('%s: rows -> CSV -> rows is the identity, and CSV -> rows -> CSV too', (name) => {
    const rows = lowerNetwork(resolveNetwork(NETWORKS[name]!.build()));
    const text = formatTopology(rows);
    const parsed = parseTopology(text, `${name}.csv`);
    expect(parsed).toEqual(rows);
    expect(formatTopology(parsed)).toBe(text);
  });

  it('reads a plain SCALE-Sim topology (8 columns, trailing commas, CRLF)', () => {
    const text =
      'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\r\n' +
      'Conv1, 418, 418, 3, 3, 3, 16, 1,\r\n' +
      'FC, 1, 1, 1, 1, 512, 10, 1,\r\n';
    const rows = parseTopology(text, 'yolo.csv');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ name: 'Conv1', type: 'conv', ifmapH: 418, channels: 3, numFilter: 16, dilation: 1, groups: 1, padH: 0 });
  });

  it('networkTopology names unknown networks', () => {
    expect(() => networkTopology('resnet')).toThrow(/unknown network 'resnet'. Built-in networks: retinaface/);
  });
});

describe('bad topologies exit 2 with file, line and column', () => {
  const header = 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides, Dilation, Groups,';
  const cases: [string, string, RegExp][] = [
    ['not a number', `${header}\nc1, 10, ten, 3, 3, 4, 4, 1, 1, 1,`, /^t\.csv:2:9: IFMAP Width 'ten' is not a whole number/],
    ['zero stride', `${header}\nc1, 10, 10, 3, 3, 4, 4, 0, 1, 1,`, /^t\.csv:2:25: Strides 0 is outside the allowed range 1 to 4096/],
    [
      '20-digit IFMAP',
      `${header}\nc1, 12345678901234567890, 10, 3, 3, 4, 4, 1, 1, 1,`,
      /^t\.csv:2:5: IFMAP Height 12345678901234567890 is outside the allowed range 1 to 65536/,
    ],
    [
      '400-digit channels',
      `${header}\nc1, 10, 10, 3, 3, 1${'0'.repeat(400)}, 4, 1, 1, 1,`,
      /^t\.csv:2:19: Channels 10+… is outside the allowed range 1 to 1048576/,
    ],
    [
      'too many MACs',
      `${header}\nc1, 65536, 65536, 64, 64, 1048576, 1048576, 1, 1, 1,`,
      /^t\.csv:2:1: layer 'c1' has .* multiply-accumulates, beyond the 9007199254740991 the model counts exactly/,
    ],
    ['binary garbage', `\u0000\u00ff\ufffd${'\u0001'.repeat(3000)}`, /^t\.csv:1:1: not a text file \(binary data\)\. Give a SCALE-Sim topology CSV/],
    ['control characters in a column name', `Layer name, IFMAP\u0007${'x'.repeat(500)},`, /^t\.csv:1:13: unknown column 'IFMAP\\x07x+…'\. Columns are/],
    ['missing field', `${header}\nc1, 10, 10, 3, 3, 4, 4, 1,`, /^t\.csv:2:\d+: 8 fields but the header has 10 columns/],
    ['unknown column', 'Layer name, IFMAP Height, Colour,', /^t\.csv:1:27: unknown column 'Colour'/],
    ['missing column', 'Layer name, IFMAP Height,', /^t\.csv:1:1: the header has no 'IFMAP Width' column/],
    ['groups', `${header}\nc1, 10, 10, 3, 3, 6, 4, 1, 1, 4,`, /^t\.csv:2:31: Groups 4 does not divide Channels 6/],
    ['kernel too big', `${header}\nc1, 5, 5, 3, 3, 4, 4, 1, 3, 1,`, /^t\.csv:2:11: the filter \(dilated extent\) is larger than the 5x5 input/],
    ['duplicate', `${header}\nc1, 10, 10, 3, 3, 4, 4, 1, 1, 1,\nc1, 10, 10, 3, 3, 4, 4, 1, 1, 1,`, /^t\.csv:3:1: layer name 'c1' is used twice/],
    ['empty', '\n\n', /^t\.csv:1:1: the topology is empty/],
    ['no layers', header, /^t\.csv:1:1: the topology has a header but no layers/],
    ['bad type', `${header} Type,\nc1, 10, 10, 3, 3, 4, 4, 1, 1, 1, pool,`, /^t\.csv:2:34: unknown layer type 'pool'/],
  ];
  it.each(cases)('%s', (_, text, message) => {
    let error: unknown;
    try {
      parseTopology(text, 't.csv');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(message);
  });
});
