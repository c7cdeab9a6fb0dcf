import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Flags } from '@oclif/core';
import { ReproCommand } from '../cli/command.js';
import { loadExpected } from '../harness/expected.js';
import { DEFAULT_RESULTS_DIR } from '../core/paths.js';
import { listPapers } from '../papers/index.js';
import { resultsDir } from '../harness/results.js';
import { textTable } from '../harness/summary.js';
import { PROFILES, type Profile } from '../core/types.js';

export default class List extends ReproCommand {
  static override summary = 'List the papers, their tables, expected cells by provenance and the last status';
  static override examples = ['<%= config.bin %> list', '<%= config.bin %> list --json'];
  static override flags = {
    profile: Flags.string({ options: [...PROFILES], default: 'quick', description: 'whose last status to show' }),
    out: Flags.directory({ default: DEFAULT_RESULTS_DIR, description: 'results root holding <paper>/<profile>/run.json' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(List);
    const papers = listPapers().map((paper) => {
      const expected = loadExpected(paper.id);
      const provenance: Record<string, number> = {};
      for (const table of Object.values(expected.tables)) {
        for (const cell of table.cells) provenance[cell.provenance] = (provenance[cell.provenance] ?? 0) + 1;
      }
      const runFile = join(resultsDir(flags.out, paper.id, flags.profile as Profile), 'run.json');
      const last = existsSync(runFile) ? (JSON.parse(readFileSync(runFile, 'utf8')) as { status: string; endedAt: string }) : null;
      return {
        id: paper.id,
        title: paper.title,
        citation: paper.citation,
        tables: paper.tables.map((t) => t.id),
        expectedCells: provenance,
        claims: expected.claims.length,
        lastStatus: last ? { status: last.status, at: last.endedAt } : null,
      };
    });
    if (!this.jsonEnabled()) {
      this.log(
        textTable(
          ['paper', 'tables', 'expected cells by provenance', 'claims', `last (${flags.profile})`],
          papers.map((p) => [
            p.id,
            p.tables.join(', '),
            Object.entries(p.expectedCells).map(([k, n]) => `${k} ${n}`).join(', '),
            String(p.claims),
            p.lastStatus ? `${p.lastStatus.status} ${p.lastStatus.at.slice(0, 10)}` : 'never run',
          ]),
        ),
      );
    }
    return { profile: flags.profile, papers };
  }
}
