import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { checkAgainstTables, loadExpected, loadPaperExpected, parseExpected } from '../../src/harness/expected.js';
import { getPaper, PAPERS } from '../../src/papers/index.js';
import type { ExpectedFile } from '../../src/core/types.js';
import { EXPECTED_DIR } from '../../src/core/paths.js';

const good = {
  paper: 'demo',
  title: 'Demo',
  source: 'test',
  tables: {
    t: {
      title: 'T',
      cells: [
        { key: { row: 'a' }, metric: 'acc', expected: 90, tolerance: { abs: 1 }, provenance: 'table:2', profiles: ['quick'] },
        { key: { row: 'b' }, metric: 'acc', expected: null, provenance: 'unknown', profiles: ['quick', 'paper'] },
      ],
    },
  },
  claims: [
    {
      id: 'a-beats-b',
      description: 'a above b',
      provenance: 'abstract',
      profiles: ['quick'],
      left: { table: 't', key: { row: 'a' }, metric: 'acc' },
      op: '>',
      right: { table: 't', key: { row: 'b' }, metric: 'acc' },
    },
  ],
};

function errorOf(data: unknown): InputError {
  try {
    parseExpected(JSON.stringify(data), 'expected/demo.json');
  } catch (error) {
    return error as InputError;
  }
  throw new Error('no error thrown');
}

describe('expected files', () => {
  it('accepts a well-formed file', () => {
    expect(parseExpected(JSON.stringify(good), 'demo.json').tables.t!.cells).toHaveLength(2);
  });

  it('names the file and the JSON path of a bad provenance', () => {
    const bad = structuredClone(good);
    bad.tables.t.cells[0]!.provenance = 'table';
    const error = errorOf(bad);
    expect(error).toBeInstanceOf(InputError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('expected/demo.json');
    expect(error.message).toContain('/tables/t/cells/0/provenance');
  });

  it('requires a tolerance when the expected value is a number', () => {
    const bad = structuredClone(good) as typeof good;
    delete (bad.tables.t.cells[0] as { tolerance?: unknown }).tolerance;
    expect(errorOf(bad).message).toContain("/tables/t/cells/0: must have required property 'tolerance'");
  });

  it('rejects unknown profiles, claim operators and extra properties', () => {
    const bad = structuredClone(good) as unknown as { tables: { t: { cells: Record<string, unknown>[] } }; claims: Record<string, unknown>[] };
    bad.tables.t.cells[1]!.profiles = ['fast'];
    bad.claims[0]!.op = '==';
    bad.claims[0]!.colour = 'red';
    const message = errorOf(bad).message;
    expect(message).toContain('/tables/t/cells/1/profiles/0');
    expect(message).toContain('/claims/0/op');
    expect(message).toContain('(colour)');
  });

  it('reports invalid JSON with the file name', () => {
    expect(() => parseExpected('{ "paper": ', 'expected/x.json')).toThrow(/expected\/x\.json: not valid JSON/);
  });

  it('ignores a UTF-8 byte-order mark', () => {
    expect(parseExpected(`\ufeff${JSON.stringify(good)}`, 'demo.json').paper).toBe('demo');
  });

  it('refuses numbers beyond a double (1e999 reads as Infinity), naming the JSON path', () => {
    const text = JSON.stringify(good).replace('"expected":90', '"expected":1e999');
    expect(() => parseExpected(text, 'expected/demo.json')).toThrow('/tables/t/cells/0/expected: a number too large for a double');
  });

  it('refuses a cell given twice for one profile, and a claim id used twice', () => {
    const bad = structuredClone(good);
    bad.tables.t.cells.push({ ...good.tables.t.cells[0]!, expected: 80 } as (typeof good.tables.t.cells)[number]);
    bad.claims.push(good.claims[0]!);
    const message = errorOf(bad).message;
    expect(message).toContain("/tables/t/cells/2: same key, metric and profile 'quick' as /tables/t/cells/0");
    expect(message).toContain("/claims/1/id: 'a-beats-b' is also the id of /claims/0");
  });

  it('a claim or cell naming a table, metric or key the paper does not have is an input error (exit 2)', () => {
    const tables = [{ id: 't', title: 'T', keyColumns: ['row'], metrics: ['acc'] }];
    expect(() => checkAgainstTables(good as ExpectedFile, tables, 'demo.json')).not.toThrow();
    const bad = structuredClone(good);
    bad.claims[0]!.right = { table: 'nope', key: { row: 'b' }, metric: 'acc' };
    bad.tables.t.cells[1]!.metric = 'accuracy';
    (bad.tables.t.cells[0]!.key as Record<string, string>) = { line: 'a' };
    let error: unknown;
    try {
      checkAgainstTables(bad as ExpectedFile, tables, 'demo.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    const message = (error as Error).message;
    expect(message).toContain("/claims/0/right: table 'nope' does not exist in paper 'demo' (tables: t)");
    expect(message).toContain("/tables/t/cells/1/metric: 'accuracy' is not a metric of table 't'");
    expect(message).toContain("/tables/t/cells/0/key: columns [line] are not table 't''s key columns [row]");
  });

  it('every committed expected file is valid and names its own paper', () => {
    const files = readdirSync(EXPECTED_DIR).filter((f) => f.endsWith('.json') && f !== 'schema.json');
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const paper = file.replace(/\.json$/, '');
      expect(loadExpected(paper).paper).toBe(paper);
      if (PAPERS.some((p) => p.id === paper)) loadPaperExpected(getPaper(paper)); // every cell and claim names a declared cell
      expect(JSON.parse(readFileSync(join(EXPECTED_DIR, file), 'utf8')).$schema).toBe('./schema.json');
    }
  });
});
