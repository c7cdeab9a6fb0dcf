import { existsSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { ReproCommand } from '../cli/command.js';
import { loadPaperExpected } from '../harness/expected.js';
import { DEFAULT_RESULTS_DIR, validateInputDir } from '../core/paths.js';
import { listPapers } from '../papers/index.js';
import { readResultSet, resultsDir } from '../harness/results.js';
import { textTable } from '../harness/summary.js';
import { PROFILES, type Profile } from '../core/types.js';

export default class List extends ReproCommand {
  static override summary = 'List the papers, their tables, expected cells by provenance and the last status';
  static override examples = ['<%= config.bin %> list', '<%= config.bin %> list --json'];
  static override flags = {
    profile: Flags.string({ options: [...PROFILES], default: 'quick', description: 'whose last status to show' }),
    out: Flags.directory({
      default: DEFAULT_RESULTS_DIR,
      defaultHelp: async () => 'results',
      description: 'results root holding <paper>/<profile>/run.json (a run: runs/<run-id>)',
    }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(List);
    const out = validateInputDir(flags.out, '--out');
    const profile = flags.profile as Profile;
    const papers = listPapers().map((paper) => {
      const expected = loadPaperExpected(paper);
      const provenance: Record<string, number> = {};
      for (const table of Object.values(expected.tables)) {
        for (const cell of table.cells) provenance[cell.provenance] = (provenance[cell.provenance] ?? 0) + 1;
      }
      // A set is shown only when it is whole: a damaged or mixed one is an error naming the file.
      const dir = resultsDir(out, paper.id, profile);
      const set = existsSync(dir) ? readResultSet(dir, paper.id, profile, paper.tables) : null;
      const last = set ? { status: set.manifest.status, endedAt: set.manifest.endedAt, verified: set.verified } : null;
      return {
        id: paper.id,
        title: paper.title,
        citation: paper.citation,
        tables: paper.tables.map((t) => t.id),
        expectedCells: provenance,
        claims: expected.claims.length,
        lastStatus: last ? { status: last.status, at: last.endedAt, verified: last.verified } : null,
      };
    });
    if (!this.jsonEnabled()) {
      this.log(
        textTable(
          ['paper', 'tables', 'expected cells by provenance', 'claims', `last (${flags.profile})`],
          papers.map((p) => [
            p.id,
            p.tables.join(', '),
            Object.entries(p.expectedCells)
              .map(([k, n]) => `${k} ${n}`)
              .join(', '),
            String(p.claims),
            p.lastStatus ? `${p.lastStatus.status} ${p.lastStatus.at.slice(0, 10)}${p.lastStatus.verified ? '' : ' (no file manifest)'}` : 'never run',
          ]),
        ),
      );
    }
    return { profile: flags.profile, papers };
  }
}
