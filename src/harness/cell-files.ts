// The files a cell adds to its result set (CellContext.files): collected per cell, so that a failed cell
// leaves none; a worker process sends them with its rows (structured clone keeps the bytes).
import { artifactNameProblem, type CellFiles, type TableSpec } from '../core/types.js';

export type FileContents = Record<string, string | Uint8Array>;

/** A sink that checks each name and keeps the files until the cell has finished. */
export function collectCellFiles(paper: string, cellId: string, tables: readonly TableSpec[]): { sink: CellFiles; files: FileContents } {
  const files: FileContents = {};
  const sink: CellFiles = {
    write(name, content) {
      const problem = artifactNameProblem(name, tables);
      if (problem) throw new Error(`${paper}: cell ${cellId} writes ${problem}`);
      if (name in files) throw new Error(`${paper}: cell ${cellId} writes '${name}' twice`);
      files[name] = typeof content === 'string' ? content : Uint8Array.from(content);
    },
  };
  return { sink, files };
}

/** Adds one cell's files to the set's; two cells writing one name is a bug of the paper module. */
export function mergeCellFiles(into: FileContents, cellId: string, files: FileContents): void {
  for (const [name, content] of Object.entries(files)) {
    if (name in into) throw new Error(`cell ${cellId} writes '${name}', which another cell of the run wrote already`);
    into[name] = content;
  }
}

/** For running a cell outside a result set (tests, benchmarks): its files are dropped. */
export const discardFiles: CellFiles = { write() {} };
