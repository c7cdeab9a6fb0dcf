// A cell's files (CellContext.files): part of the result set, hashed in run.json, dropped with a failed cell.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyResultSet, sha256 } from '../../src/harness/results.js';
import { runPaper } from '../../src/harness/runner.js';
import type { PaperModule } from '../../src/core/types.js';
import { bamsprodPaper as bamsprod } from '../../src/papers/bamsprod.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'repro-cell-files-'));
  dirs.push(dir);
  return dir;
};

const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
const row = { table: 'convex', key: { optimizer: 'sgd', setting: 'binary' }, metric: 'final_w', value: -1 };

function paperWriting(write: (id: string, files: { write(name: string, content: string | Uint8Array): void }) => void): PaperModule {
  return {
    ...bamsprod,
    plan: () => [
      { id: 'one', kind: 'test', params: {}, seed: 1 },
      { id: 'two', kind: 'test', params: {}, seed: 2 },
    ],
    runCell: async (cell, ctx) => {
      write(cell.id, ctx.files);
      return [row];
    },
  };
}

const options = (outRoot: string) => ({ profile: 'smoke' as const, seed: 1, backend: 'cpu' as const, outRoot, dataDir: outRoot });

describe('files a cell writes', () => {
  it('land in the result set, bytes and text, and run.json lists their sha256', async () => {
    const out = tempDir();
    const paper = paperWriting((id, files) => {
      if (id === 'one') files.write('grid.png', PNG_BYTES);
      files.write(`curves/${id}.csv`, `epoch,loss\n1,0.5\n`);
    });
    const { manifest, dir } = await runPaper(paper, options(out));
    expect(new Uint8Array(readFileSync(join(dir, 'grid.png')))).toEqual(PNG_BYTES);
    expect(readFileSync(join(dir, 'curves/two.csv'), 'utf8')).toBe('epoch,loss\n1,0.5\n');
    expect(manifest.files!['grid.png']).toBe(sha256(PNG_BYTES));
    expect(Object.keys(manifest.files!).sort()).toEqual(['convex.csv', 'curves/one.csv', 'curves/two.csv', 'grid.png']);
    expect(verifyResultSet(dir, 'bamsprod', 'smoke').verified).toBe(true);

    writeFileSync(join(dir, 'curves/one.csv'), 'epoch,loss\n1,0.4\n');
    expect(() => verifyResultSet(dir, 'bamsprod', 'smoke')).toThrow(/curves\/one\.csv: its content does not match/);
    writeFileSync(join(dir, 'curves/one.csv'), 'epoch,loss\n1,0.5\n');
    writeFileSync(join(dir, 'curves/stray.csv'), 'x');
    expect(() => verifyResultSet(dir, 'bamsprod', 'smoke')).toThrow(/curves\/stray\.csv: not part of the result set/);
  });

  it('are dropped with a cell that fails after writing them', async () => {
    const out = tempDir();
    const paper: PaperModule = {
      ...paperWriting(() => {}),
      runCell: async (cell, ctx) => {
        ctx.files.write(`${cell.id}.png`, PNG_BYTES);
        if (cell.id === 'one') throw new Error('loss is NaN');
        return [row];
      },
    };
    const { manifest } = await runPaper(paper, options(out));
    expect(Object.keys(manifest.files!).sort()).toEqual(['convex.csv', 'two.png']);
  });

  it.each([
    ['run.json', 'a name the result set uses itself'],
    ['convex.csv', 'a name the result set uses itself'],
    ['Grid.PNG', 'is not a file name'],
    ['a/b/c.csv', 'is not a file name'],
    ['../escape.png', 'is not a file name'],
  ])('refuse the name %s: the cell fails, saying why', async (name, why) => {
    const out = tempDir();
    const { manifest } = await runPaper(
      paperWriting((id, files) => id === 'one' && files.write(name, 'x')),
      options(out),
    );
    expect(manifest.cells[0]!.error).toContain(why);
    expect(manifest.cells[1]!.error).toBeUndefined();
  });

  it('written by two cells under one name fail the second cell', async () => {
    const out = tempDir();
    const { manifest } = await runPaper(
      paperWriting((_id, files) => files.write('grid.png', PNG_BYTES)),
      options(out),
    );
    expect(manifest.cells[0]!.error).toBeUndefined();
    expect(manifest.cells[1]!.error).toContain("writes 'grid.png', which another cell of the run wrote already");
  });
});
