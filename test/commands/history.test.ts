// `repro history`: a paper run twice appends two records; the command shows them steady (exit 0), drift
// after one value is edited (exit 1), and exits 2 naming the fix when there is nothing to show.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readHistory } from '../../src/harness/history.js';
import { runRepro } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'repro-history-cmd-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('repro history', () => {
  const file = join(root, 'runs', 'history.jsonl');
  const out = join(root, 'runs');

  it('each run appends its set; two identical runs are steady (exit 0), an edited value is drift (exit 1)', async () => {
    for (let i = 0; i < 2; i++) await runRepro(['ddc', '--profile', 'smoke', '--jobs', '1', '--out', out, '--json']);
    const { records } = readHistory(file);
    expect(records.map((r) => [r.paper, r.profile])).toEqual([
      ['ddc', 'smoke'],
      ['ddc', 'smoke'],
    ]);
    expect(records[1]!.rows.length).toBeGreaterThan(0);
    const steady = await runRepro(['history', 'ddc', '--profile', 'smoke', '--file', file, '--json']);
    expect(steady.code).toBe(0);
    expect(JSON.parse(steady.stdout)).toMatchObject({ status: 'steady', runs: [{}, {}] });

    // A third run knows the cells' durations from the first two: its progress lines say the time left.
    const third = await runRepro(['ddc', '--profile', 'smoke', '--jobs', '1', '--out', out]);
    expect(third.stderr).toMatch(/ddc: cell 1\/\d+ \S+, about \d+ (s|min) left/);

    const newest = records[1]!;
    const cell = newest.rows.find((r) => r.table === 'cost' && r.metric === 'cycles')!;
    const edited = { ...newest, runId: 'edited', rows: newest.rows.map((r) => (r === cell ? { ...r, value: cell.value! + 1 } : r)) };
    appendFileSync(file, `${JSON.stringify(edited)}\n`);
    const drift = await runRepro(['history', 'ddc', '--profile', 'smoke', '--file', file, '--drifted']);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain('drift: 1 cell(s) of the newest run differ');
    expect(drift.stdout).toMatch(/cost\s+variant=\S+\s+cycles\s/);
  }, 120_000);

  it('a paper never run, or a table it lacks, exits 2 naming the fix', async () => {
    const none = await runRepro(['history', 'cassod', '--file', file]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no run of cassod --profile quick recorded. Fix: run repro cassod --profile quick');
    const table = await runRepro(['history', 'ddc', '--table', 'nope', '--file', file]);
    expect(table.code).toBe(2);
    expect(table.stderr).toContain('--table nope: ddc has no such table. Fix: one of');
  });
});
