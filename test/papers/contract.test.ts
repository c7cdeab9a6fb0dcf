// The contract of every registered paper (src/papers/index.ts): a new paper gets these checks by being
// registered. Its declarations hold together (tables, profiles, plans, expected/<id>.json), `repro <id>
// --help` shows its tables and profiles, a smoke run writes exactly the declared CSVs plus the files its
// cells write (listed in run.json; training curves well formed), and the paper profile on an empty data
// directory exits 3 naming every missing dataset. What a paper measures is asserted in its own test file
// (test/papers/<id>.test.ts).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILES, type CellRef, type PaperModule, type Profile, type RowKey } from '../../src/core/types.js';
import { check, keyId } from '../../src/harness/checker.js';
import { curvesFileName } from '../../src/harness/curves.js';
import { loadExpected, loadPaperExpected } from '../../src/harness/expected.js';
import { readResultSet, RUN_FILE, VALUE_COLUMNS } from '../../src/harness/results.js';
import { DEFAULT_SEED, runPaper, SUMMARY_ID, type PaperRun } from '../../src/harness/runner.js';
import { PAPERS } from '../../src/papers/index.js';
import { ROOT, runRepro } from '../commands/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'repro-contract-'));
const emptyData = join(root, 'empty-data');
mkdirSync(emptyData);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** What is wrong with a reference to a cell: the table, one of its metrics, exactly its key columns. */
function refProblems(paper: PaperModule, ref: { table: string; key: RowKey; metric: string }): string[] {
  const table = paper.tables.find((t) => t.id === ref.table);
  if (!table) return [`table '${ref.table}' is not declared (${paper.tables.map((t) => t.id).join(', ')})`];
  const problems: string[] = [];
  if (!table.metrics.includes(ref.metric)) problems.push(`metric '${ref.metric}' is not one of table ${table.id}'s (${table.metrics.join(', ')})`);
  const columns = Object.keys(ref.key).sort();
  if (columns.join(',') !== [...table.keyColumns].sort().join(',')) {
    problems.push(`key columns [${columns.join(', ')}] are not table ${table.id}'s [${table.keyColumns.join(', ')}]`);
  }
  return problems;
}

/** The section of a paper's --help between a heading and the next one (oclif rewraps the lines). */
function helpSection(help: string, heading: string, next: string): string {
  const start = help.indexOf(heading);
  expect(start, `--help has no '${heading}' section`).toBeGreaterThanOrEqual(0);
  const end = help.indexOf(next, start);
  return help.slice(start + heading.length, end < 0 ? undefined : end);
}

const REFERENCE_ROOT = join(ROOT, 'results');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.each(PAPERS.map((paper) => ({ id: paper.id, paper })))('paper $id', ({ id, paper }) => {
  const expected = loadExpected(id);
  const paperNeeds = paper.datasets('paper', emptyData);

  it('declares its tables: key columns and metrics, none named like a CSV value column', () => {
    expect(paper.tables.length).toBeGreaterThan(0);
    expect(new Set(paper.tables.map((t) => t.id)).size).toBe(paper.tables.length);
    for (const table of paper.tables) {
      expect(table.metrics.length, table.id).toBeGreaterThan(0);
      expect(new Set(table.metrics).size, table.id).toBe(table.metrics.length);
      const columns = [...table.keyColumns, ...VALUE_COLUMNS];
      expect(new Set(columns).size, `${table.id}: [${table.keyColumns.join(', ')}] clash with the value columns`).toBe(columns.length);
    }
  });

  it.each([...PROFILES])('plans cells at %s, with unique ids and a kind each', (profile: Profile) => {
    const cells = paper.plan(profile, 1);
    expect(cells.length).toBeGreaterThan(0);
    expect(new Set(cells.map((c) => c.id)).size).toBe(cells.length);
    for (const cell of cells) expect(cell.kind, cell.id).toMatch(/\S/);
  });

  it('needs no dataset at smoke and quick (embedded data)', () => {
    expect(paper.datasets('smoke', emptyData)).toEqual([]);
    expect(paper.datasets('quick', emptyData)).toEqual([]);
  });

  it(`expected/${id}.json: every cell names a declared table, one of its metrics and exactly its key columns`, () => {
    expect(expected.paper).toBe(id);
    for (const [table, spec] of Object.entries(expected.tables)) {
      spec.cells.forEach((cell, i) => {
        expect(refProblems(paper, { table, key: cell.key, metric: cell.metric }), `/tables/${table}/cells/${i}`).toEqual([]);
      });
    }
  });

  it(`expected/${id}.json: every claim refers to declared cells likewise`, () => {
    expected.claims.forEach((claim, i) => {
      const refs: [string, CellRef][] = [['left', claim.left]];
      if (typeof claim.right !== 'number') refs.push(['right', claim.right]);
      for (const [side, ref] of refs) expect(refProblems(paper, ref), `/claims/${i}/${side} (${claim.id})`).toEqual([]);
    });
  });

  it('repro --help lists every table and every profile, with the datasets it needs', async () => {
    const { code, stdout } = await runRepro([id, '--help']);
    expect(code).toBe(0);
    const tables = helpSection(stdout, `Tables (<out>/${id}/<profile>/<table>.csv):`, 'Profiles:');
    for (const table of paper.tables) expect(tables).toMatch(new RegExp(`^\\s*${escape(table.id)}\\s+\\S`, 'm'));
    const profiles = helpSection(stdout, 'Profiles:', 'EXAMPLES').replace(/\s+/g, ' ').trim();
    for (const profile of PROFILES) {
      const needs = paper.datasets(profile, '<data-dir>').map((d) => d.name);
      const line = new RegExp(`(?:^| )${profile} (embedded data|needs (.+?) in the data directory)`).exec(profiles);
      expect(line, `profile ${profile}`).not.toBeNull();
      if (needs.length === 0) expect(line![1]).toBe('embedded data');
      else expect(line![2]!.split(', ')).toEqual(needs);
      // The wall time of the committed reference run, read from its run.json.
      const reference = join(REFERENCE_ROOT, id, profile, RUN_FILE);
      if (existsSync(reference)) {
        const run = JSON.parse(readFileSync(reference, 'utf8')) as { startedAt: string; endedAt: string };
        const minutes = (Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 60_000;
        const wall = minutes < 1 ? `${Math.max(1, Math.round(minutes * 60))} s` : `${minutes.toFixed(1)} min`;
        expect(profiles).toMatch(new RegExp(`${profile} [^;]+; reference run took ${escape(wall)} \\(`));
      } else expect(profiles).toMatch(new RegExp(`${profile} [^;]+; no reference run committed`));
    }
  });

  if (paperNeeds.length > 0) {
    it(`--profile paper with an empty data directory exits 3 naming ${paperNeeds.map((d) => d.name).join(', ')}`, async () => {
      const { code, stderr } = await runRepro([id, '--profile', 'paper', '--data-dir', emptyData, '--out', join(root, 'paper-out'), '--jobs', '1']);
      expect(code).toBe(3);
      for (const d of paperNeeds) expect(stderr).toContain(`${d.name}: expected at ${d.path}`);
      expect(readdirSync(root)).not.toContain('paper-out');
    });
  } else {
    it('needs no dataset at the paper profile either (every table is computed from embedded data)', () => {
      expect(paperNeeds).toEqual([]);
    });
  }

  describe('a smoke run (wasm, one process, empty data directory)', () => {
    let run: PaperRun;
    beforeAll(async () => {
      run = await runPaper(paper, { profile: 'smoke', seed: DEFAULT_SEED, backend: 'wasm', outRoot: join(root, 'out'), dataDir: emptyData, jobs: 1 });
    }, 600_000);

    it('runs every planned cell without an error', () => {
      expect(run.manifest.cells.map((c) => c.id)).toEqual([...paper.plan('smoke', DEFAULT_SEED).map((c) => c.id), ...(paper.summarise ? [SUMMARY_ID] : [])]);
      expect(run.manifest.cells.filter((c) => c.error)).toEqual([]);
    });

    it('writes every declared table as <table>.csv, run.json and the files its cells write, nothing else (tables measured only at the paper profile aside)', () => {
      const written = readdirSync(run.dir).sort();
      const missing = paper.tables.filter((t) => !written.includes(`${t.id}.csv`));
      for (const table of missing) {
        // Not measured at smoke: then the paper says so by expecting it only at the paper profile.
        const profiles = new Set((expected.tables[table.id]?.cells ?? []).flatMap((c) => c.profiles));
        expect([...profiles], `table ${table.id} has no CSV at smoke but is expected at`).toEqual(['paper']);
      }
      const tableFiles = paper.tables.filter((t) => !missing.includes(t)).map((t) => `${t.id}.csv`);
      // Cell files (ctx.files: curves/<cell>.csv, figures) are listed with their hash in run.json.
      const cellFiles = Object.keys(run.manifest.files ?? {}).filter((name) => !tableFiles.includes(name));
      const cellEntries = [...new Set(cellFiles.map((name) => name.split('/')[0]!))];
      expect(written).toEqual([...tableFiles, RUN_FILE, ...cellEntries].sort());
      for (const name of cellFiles) expect(statSync(join(run.dir, name)).isFile(), name).toBe(true);
    });

    it('training curves: curves/<cell>.csv of a planned cell, columns epoch and loss, a finite loss on every row', () => {
      const curves = Object.keys(run.manifest.files ?? {}).filter((name) => name.startsWith('curves/'));
      const cells = paper.plan('smoke', DEFAULT_SEED).map((c) => curvesFileName(c.id));
      for (const name of curves) {
        expect(cells, name).toContain(name);
        const [header, ...records] = parse(readFileSync(join(run.dir, name), 'utf8')) as string[][];
        expect(header, name).toEqual(expect.arrayContaining(['epoch', 'loss']));
        expect(records.length, name).toBeGreaterThan(0);
        for (const record of records) expect(Number.isFinite(Number(record[header!.indexOf('loss')])), `${name}: ${record.join(',')}`).toBe(true);
      }
    });

    it('each CSV has the header key columns + value columns, and every row a declared metric and a full key', () => {
      for (const table of paper.tables) {
        let text: string;
        try {
          text = readFileSync(join(run.dir, `${table.id}.csv`), 'utf8');
        } catch {
          continue; // a paper-profile table (previous test)
        }
        const [header, ...records] = parse(text) as string[][];
        expect(header, table.id).toEqual([...table.keyColumns, ...VALUE_COLUMNS]);
        expect(records.length, table.id).toBeGreaterThan(0);
        const metric = header!.indexOf('metric');
        for (const record of records) {
          expect(table.metrics, `${table.id}: ${record.join(',')}`).toContain(record[metric]);
          table.keyColumns.forEach((column, i) => expect(record[i], `${table.id}.${column}: ${record.join(',')}`).not.toBe(''));
        }
      }
    });

    it('every measured row has exactly its table key columns and a declared metric', () => {
      const measured = run.report.rows.filter((r) => !r.note?.includes('not measured at this profile'));
      expect(measured.length).toBeGreaterThan(0);
      for (const row of measured) expect(refProblems(paper, row), `${row.table} ${JSON.stringify(row.key)} ${row.metric}`).toEqual([]);
    });

    it('re-checking the written CSVs as repro check does gives the verdict of the run for every cell and claim', () => {
      // CSV numbers read back exactly, so the checker agrees with the run (issue 14, defect 1).
      const set = readResultSet(run.dir, id, 'smoke', paper.tables);
      expect(set.verified).toBe(true);
      const recheck = check(id, 'smoke', set.rows, loadPaperExpected(paper));
      const verdicts = (rows: { table: string; key: RowKey; metric: string; status: string }[]) =>
        rows.map((r) => `${r.table}|${keyId(r.key)}|${r.metric}: ${r.status}`).sort();
      expect(verdicts(recheck.rows)).toEqual(verdicts(run.report.rows));
      expect(recheck.claims.map((c) => `${c.id}: ${c.status}`)).toEqual(run.report.claims.map((c) => `${c.id}: ${c.status}`));
    });
  });
});
