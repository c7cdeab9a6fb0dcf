import { Args, Flags } from '@oclif/core';
import { check, countStatuses, overallStatus } from '../harness/checker.js';
import { ReproCommand } from '../cli/command.js';
import { EXIT } from '../core/errors.js';
import { loadExpected } from '../harness/expected.js';
import { DEFAULT_RESULTS_DIR } from '../core/paths.js';
import { getPaper, listPapers } from '../papers/index.js';
import { readMeasuredRows, resultsDir } from '../harness/results.js';
import { reportText } from '../harness/summary.js';
import { PROFILES, type Profile } from '../core/types.js';

export default class Check extends ReproCommand {
  static override summary = 'Re-check existing result CSVs against the expected numbers, without rerunning';
  static override description = 'Useful after editing expected/<paper>.json, or to check results produced elsewhere (--out).';
  static override examples = ['<%= config.bin %> check', '<%= config.bin %> check bamsprod --profile smoke --out /tmp/results'];
  static override args = { paper: Args.string({ description: 'paper id; default every paper with results', required: false }) };
  static override flags = {
    profile: Flags.string({ options: [...PROFILES], default: 'quick', description: 'which results to check' }),
    out: Flags.directory({ default: DEFAULT_RESULTS_DIR, description: 'results root holding <paper>/<profile>/' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Check);
    const profile = flags.profile as Profile;
    const papers = args.paper ? [getPaper(args.paper)] : listPapers();
    const reports = papers.map((paper) => {
      const rows = readMeasuredRows(resultsDir(flags.out, paper.id, profile), paper.tables);
      return check(paper.id, profile, rows, loadExpected(paper.id));
    });
    if (!this.jsonEnabled()) for (const report of reports) this.log(`${reportText(report)}\n`);
    const status = reports.some((r) => overallStatus(r) === 'fail') ? 'fail' : 'pass';
    if (status === 'fail') process.exitCode = EXIT.checkFailed;
    return { status, reports: reports.map((r) => ({ ...r, counts: countStatuses(r) })) };
  }
}
