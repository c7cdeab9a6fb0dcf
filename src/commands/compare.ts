import { resolve } from 'node:path';
import { Args } from '@oclif/core';
import { ReproCommand } from '../cli/command.js';
import { EXIT } from '../core/errors.js';
import { DEFAULT_RESULTS_DIR, DEFAULT_RUNS_DIR } from '../core/paths.js';
import { compareFolders, compareResults, comparisonText } from '../harness/compare.js';
import { loadPaperExpected } from '../harness/expected.js';
import { getPaper } from '../papers/index.js';

export default class Compare extends ReproCommand {
  static override summary = 'Compare two result folders cell by cell: A, B, the difference, and whether it exceeds the noise';
  static override description =
    'A and B are each a run folder (runs/<run-id>, results/) holding <paper>/<profile>/ sets, or one set folder; sets are paired by paper ' +
    'and profile and verified against their run.json first (exit 2 naming a damaged file). The noise of a cell is the seed spread its ' +
    "table records (a 'std' row at the same key, for the table's first metric), else the tolerance of its expected cell, else none " +
    '(exact). Exit 1 when a cell differs beyond noise or a cell of B is missing from A, 0 otherwise.';
  static override examples = [
    '<%= config.bin %> compare',
    '<%= config.bin %> compare runs/20261203T174501Z-3f2a',
    '<%= config.bin %> compare runs/20261203T174501Z-3f2a/cassod/quick results/cassod/quick --json',
  ];
  static override args = {
    a: Args.string({ description: 'folder to check (default: the newest run under runs/)', required: false }),
    b: Args.string({ description: 'folder to check against (default: the committed reference results/)', required: false }),
  };

  async run(): Promise<unknown> {
    const { args } = await this.parse(Compare);
    const folders = compareFolders(args.a && resolve(args.a), args.b && resolve(args.b), DEFAULT_RUNS_DIR, DEFAULT_RESULTS_DIR);
    const comparison = compareResults(folders.a, folders.b, (id) => {
      const paper = getPaper(id);
      return { tables: paper.tables, expected: loadPaperExpected(paper) };
    });
    for (const warning of comparison.warnings) this.logToStderr(`warning: ${warning}`);
    if (!this.jsonEnabled()) this.log(comparisonText(comparison));
    if (comparison.status === 'regression') process.exitCode = EXIT.regression;
    return comparison;
  }
}
