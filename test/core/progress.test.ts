// Progress of a run's cells (src/core/progress.ts): plain lines when not on a terminal (a cell's start with
// the time left, its failure, its tasks' first and last step, the steps between throttled), a multibar on a
// terminal (an overall bar with the time left, one bar per running cell), nothing when silent.
import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { cellsProgress, cellTaskProgress, createProgress, formatDuration, silentProgress, type CellsSpec } from '../../src/core/progress.js';

const durations = new Map([
  ['c0', 60_000],
  ['c1', 60_000],
]);
const spec = (over: Partial<CellsSpec> = {}): CellsSpec => ({
  paperId: 'fake',
  cellIds: ['c0', 'c1'],
  workers: 1,
  estimateMs: (unfinished) => (unfinished.every((id) => durations.has(id)) ? unfinished.reduce((a, id) => a + durations.get(id)!, 0) : null),
  ...over,
});

/** A terminal that keeps what is written to it. */
function fakeTerminal(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY: true, columns: 120 });
  return { stream, text: () => stripVTControlCharacters(chunks.join('')) };
}

describe('cell progress', () => {
  it('reads durations as seconds, minutes or hours', () => {
    expect([200, 40_000, 89_000, 12 * 60_000, 2.5 * 3_600_000].map(formatDuration)).toEqual(['1 s', '40 s', '89 s', '12 min', '2.5 h']);
  });

  it('writes plain lines: start with the time left, first and last step, throttled steps between, failures', () => {
    const logs: string[] = [];
    const progress = { start() {}, tick() {}, stop() {}, log: (m: string) => logs.push(m) };
    const cells = cellsProgress(progress, spec({ intervalMs: 60_000 }));
    cells.started(0);
    const task = cellTaskProgress(cells, 0, progress.log);
    task.start('epochs', 3);
    task.tick('loss 0.9');
    task.tick('loss 0.5');
    task.tick('loss 0.3');
    task.log('a message from the cell');
    cells.ended(0);
    cells.started(1);
    cells.ended(1, 'broken on purpose');
    cells.stop();
    expect(logs[0]).toBe('fake: cell 1/2 c0, about 2 min left');
    expect(logs.slice(1, 4)).toEqual(['fake: c0: epochs 0/3', 'fake: c0: epochs 3/3 loss 0.3', 'a message from the cell']);
    expect(logs[4]).toMatch(/^fake: cell 2\/2 c1, about (60|59) s left$/);
    expect(logs[5]).toBe('fake: cell c1 failed: broken on purpose');
    expect(logs).toHaveLength(6);
  });

  it('estimates from the cells finished so far where the history has no durations, once 30 s have passed', () => {
    let now = 1_000;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      const logs: string[] = [];
      const cells = cellsProgress({ ...silentProgress, log: (m) => logs.push(m) }, spec({ cellIds: ['c0', 'c1', 'c2'], estimateMs: () => null }));
      cells.started(0);
      now += 10_000;
      cells.ended(0);
      cells.started(1); // 10 s in: too early to extrapolate
      now += 30_000;
      cells.ended(1);
      cells.started(2); // 40 s for two cells: one more takes about 20 s
      expect(logs).toEqual(['fake: cell 1/3 c0', 'fake: cell 2/3 c1', 'fake: cell 3/3 c2, about 20 s left']);
    } finally {
      clock.mockRestore();
    }
  });

  it('prints nothing when silent (--json)', () => {
    const write = vi.spyOn(process.stderr, 'write');
    const out = vi.spyOn(process.stdout, 'write');
    try {
      const cells = cellsProgress(createProgress('silent'), spec());
      cells.started(0);
      cells.step(0, 'epochs', 1, 2, '');
      cells.ended(0, 'x');
      cells.stop();
      expect(write).not.toHaveBeenCalled();
      expect(out).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
      out.mockRestore();
    }
  });

  it('draws an overall bar with the time left and a bar per running cell on a terminal, messages above them', async () => {
    const { stream, text } = fakeTerminal();
    const progress = createProgress('bar', stream);
    const cells = cellsProgress(progress, spec({ workers: 2 }));
    cells.started(0);
    cells.started(1);
    cells.step(0, 'epochs', 2, 4, 'loss 0.5');
    progress.log('fake: a message');
    await new Promise((resolve) => setTimeout(resolve, 250)); // cli-progress redraws on a timer
    const drawn = text();
    expect(drawn).toMatch(/fake cells +\[[^\]]*\] 0\/2 about 2 min left/);
    expect(drawn).toMatch(/ {2}c0 +\[[^\]]*\] 2\/4 epochs loss 0\.5/);
    expect(drawn).toMatch(/ {2}c1 +\[[^\]]*\] 0\/1 starting/);
    expect(drawn).toContain('fake: a message\n');
    cells.ended(0);
    cells.ended(1, 'broken on purpose');
    cells.stop();
    expect(text()).toContain('fake: cell c1 failed: broken on purpose');
  });
});
