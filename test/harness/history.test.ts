// The run history (src/harness/history.ts): JSON Lines read back exactly, a damaged last line skipped with
// a warning, a damaged middle line refused naming file:line, and drift judged with compare's noise rule
// against the median of the earlier runs (test/commands/history.test.ts runs the command).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { ExpectedFile, MeasuredRow, TableSpec } from '../../src/core/types.js';
import { appendHistory, cellDurations, estimateRemainingMs, historyTrend, readHistory, type HistoryRecord } from '../../src/harness/history.js';

const root = mkdtempSync(join(tmpdir(), 'repro-history-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const table: TableSpec = { id: 'acc', title: 'accuracy', keyColumns: ['method'], metrics: ['accuracy', 'std'] };
const expected: ExpectedFile = { paper: 'p', title: 'p', source: 'test', tables: {}, claims: [] };
const lookup = () => ({ tables: [table], expected });

function record(i: number, rows: Array<[string, string, number | null]>, durations: Record<string, number> = {}): HistoryRecord {
  return {
    runId: `run-${i}`,
    paper: 'p',
    profile: 'quick',
    seed: 1,
    startedAt: `2026-12-0${i}T00:00:00.000Z`,
    endedAt: `2026-12-0${i}T00:01:00.000Z`,
    git: { commit: `c${i}`, dirty: false },
    backend: 'wasm',
    cores: 2,
    status: 'pass',
    cells: Object.entries(durations).map(([id, durationMs]) => ({ id, durationMs })),
    rows: rows.map(([method, metric, value]): MeasuredRow => ({ table: 'acc', key: { method }, metric, value })),
  };
}

describe('readHistory', () => {
  it('reads back what appendHistory wrote, oldest first; no file is an empty history', () => {
    const file = join(root, 'a', 'history.jsonl');
    expect(readHistory(file)).toEqual({ records: [], warnings: [] });
    const records = [record(1, [['arc', 'accuracy', 90]]), record(2, [['arc', 'accuracy', null]])];
    for (const r of records) appendHistory(file, r);
    expect(readHistory(file)).toEqual({ records, warnings: [] });
  });

  it('skips a damaged last line with a warning naming file:line', () => {
    const file = join(root, 'torn.jsonl');
    writeFileSync(file, `${JSON.stringify(record(1, []))}\n{"runId": "run-2", "pap`);
    const { records, warnings } = readHistory(file);
    expect(records.map((r) => r.runId)).toEqual(['run-1']);
    expect(warnings).toEqual([expect.stringContaining(`${file}:2: skipped a damaged last line (not JSON)`)]);
  });

  it('refuses a damaged line before the last one, naming file:line and the fix', () => {
    const file = join(root, 'bad.jsonl');
    writeFileSync(file, `${JSON.stringify(record(1, []))}\n{"runId": 3}\n${JSON.stringify(record(2, []))}\n`);
    expect(() => readHistory(file)).toThrow(InputError);
    expect(() => readHistory(file)).toThrow(`${file}:2: no string "runId". Fix: delete or mend that line`);
  });
});

describe('historyTrend', () => {
  const query = { paper: 'p', profile: 'quick' as const };

  it('holds the newest value against the median of the earlier runs, within the seed spread: steady', () => {
    const runs = [90, 94, 91].map((v, i) =>
      record(i + 1, [
        ['arc', 'accuracy', v],
        ['arc', 'std', 1],
      ]),
    );
    const trend = historyTrend(runs, query, lookup);
    expect(trend.status).toBe('steady');
    const accuracy = trend.cells.find((c) => c.metric === 'accuracy')!;
    // median(90, 94) = 92; |91 - 92| = 1 <= the recorded spread 1.
    expect(accuracy).toMatchObject({ values: [90, 94, 91], a: 91, b: 92, difference: -1, noise: 'spread 1', verdict: 'within-noise' });
    expect(trend.runs.map((r) => r.runId)).toEqual(['run-1', 'run-2', 'run-3']);
  });

  it('flags a value beyond the spread, and a cell the newest run lacks, as drift', () => {
    const beyond = [90, 90, 93].map((v, i) =>
      record(i + 1, [
        ['arc', 'accuracy', v],
        ['arc', 'std', 1],
      ]),
    );
    expect(historyTrend(beyond, query, lookup)).toMatchObject({ status: 'drift' });
    expect(historyTrend(beyond, query, lookup).cells.find((c) => c.metric === 'accuracy')!.verdict).toBe('beyond-noise');
    const vanished = [
      record(1, [
        ['arc', 'accuracy', 90],
        ['soft', 'accuracy', 80],
      ]),
      record(2, [['arc', 'accuracy', 90]]),
    ];
    const trend = historyTrend(vanished, query, lookup);
    expect(trend.status).toBe('drift');
    expect(trend.cells.find((c) => c.key.method === 'soft')).toMatchObject({ verdict: 'only-b', values: [80, null], a: null, b: 80 });
  });

  it('keeps only the newest --last runs of the paper and profile, and the chosen table and metric', () => {
    const runs = [
      record(1, [['arc', 'accuracy', 50]]),
      ...[90, 90, 90].map((v, i) =>
        record(i + 2, [
          ['arc', 'accuracy', v],
          ['arc', 'std', 0],
        ]),
      ),
    ];
    const other = { ...record(9, [['arc', 'accuracy', 10]]), paper: 'q' };
    const trend = historyTrend([...runs, other], { ...query, last: 3, metric: 'accuracy' }, lookup);
    expect(trend.runs.map((r) => r.runId)).toEqual(['run-2', 'run-3', 'run-4']);
    expect(trend.cells).toHaveLength(1);
    expect(trend.cells[0]).toMatchObject({ values: [90, 90, 90], verdict: 'equal' });
    expect(historyTrend(runs.slice(0, 1), query, lookup)).toMatchObject({ status: 'one-run', cells: [{ verdict: 'only-a' }] });
  });

  it('cellDurations is the median wall time of each cell over the runs where it succeeded', () => {
    const runs = [record(1, [], { a: 10, b: 5 }), record(2, [], { a: 30 }), record(3, [], { a: 20 })];
    runs[2]!.cells.push({ id: 'b', durationMs: 999, error: 'boom' });
    expect(Object.fromEntries(cellDurations(runs))).toEqual({ a: 20, b: 5 });
  });
});

describe('time left', () => {
  const durations = new Map([
    ['a', 60_000],
    ['b', 30_000],
    ['c', 30_000],
  ]);

  it('is the larger of the even share over the workers and the longest cell; unknown when a cell has no duration', () => {
    expect(estimateRemainingMs(['a', 'b', 'c'], durations, 1)).toBe(120_000);
    expect(estimateRemainingMs(['a', 'b', 'c'], durations, 2)).toBe(60_000);
    expect(estimateRemainingMs(['a', 'b', 'c'], durations, 8)).toBe(60_000);
    expect(estimateRemainingMs(['b', 'c'], durations, 4)).toBe(30_000);
    expect(estimateRemainingMs([], durations, 2)).toBe(0);
    expect(estimateRemainingMs(['a', 'new'], durations, 2)).toBeNull();
  });
});
