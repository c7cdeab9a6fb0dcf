// Accelerator configuration: defaults, ajv validation, and errors with file, line and column.
import { describe, expect, it } from 'vitest';
import { ACCELERATOR_CONFIG_SCHEMA, DEFAULT_CONFIG, parseConfig, parseJsonWithPositions } from '../../src/hardware/index.js';
import { InputError } from '../../src/core/errors.js';

describe('configuration', () => {
  it('an empty object gives every default, including nested ones', () => {
    expect(parseConfig('{}', 'a.json')).toEqual(DEFAULT_CONFIG);
  });

  it('overrides keep the other defaults', () => {
    const cfg = parseConfig('{ "parallelChannels": 32, "dilation": "zero-stuffed", "gates": { "dff": 6 } }', 'a.json');
    expect(cfg.parallelChannels).toBe(32);
    expect(cfg.dilation).toBe('zero-stuffed');
    expect(cfg.gates).toEqual({ ...DEFAULT_CONFIG.gates, dff: 6 });
    expect(cfg.parallelPixels).toBe(DEFAULT_CONFIG.parallelPixels);
  });

  it('the schema documents a default for every setting', () => {
    for (const key of Object.keys(DEFAULT_CONFIG)) {
      const prop = (ACCELERATOR_CONFIG_SCHEMA.properties as Record<string, { default?: unknown }>)[key]!;
      expect(prop, key).toBeDefined();
      expect('default' in prop, key).toBe(true);
    }
  });

  const cases: [string, string, RegExp][] = [
    ['syntax', '{\n  "parallelPixels": 16,\n  "dilation": native\n}', /^c\.json:3:15: not valid JSON: unexpected character 'n'/],
    ['trailing comma', '{\n  "parallelPixels": 16,\n}', /^c\.json:3:1: not valid JSON: expected a property name/],
    ['bad value', '{\n  "parallelPixels": 0\n}', /^c\.json:2:3: \/parallelPixels must be >= 1/],
    ['bad enum', '{ "dilation": "sparse" }', /^c\.json:1:3: \/dilation must be equal to one of the allowed values \(native, zero-stuffed\)/],
    ['unknown key', '{\n  "gates": {\n    "nand": 1\n  }\n}', /^c\.json:3:5: unknown setting 'nand'/],
    ['wrong type', '[1, 2]', /^c\.json:1:1: \(top level\) must be object/],
  ];
  it.each(cases)('bad input: %s exits 2 with file:line:column', (_, text, message) => {
    let error: unknown;
    try {
      parseConfig(text, 'c.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(message);
  });

  it('the positioned JSON parser agrees with JSON.parse', () => {
    const text = '{"a": [1, 2.5e3, {"b": "x\\"y"}], "c": null, "d": true}';
    const { value, positions } = parseJsonWithPositions(text);
    expect(value).toEqual(JSON.parse(text));
    expect(positions.get('/a/2/b')).toEqual({ line: 1, column: 19 });
  });
});
