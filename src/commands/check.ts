import { existsSync } from 'node:fs';
import { Args, Flags } from '@oclif/core';
import { check, countStatuses, overallStatus } from '../harness/checker.js';
import { ReproCommand } from '../cli/command.js';
import { EXIT, InputError } from '../core/errors.js';
import { loadPaperExpected } from '../harness/expected.js';
import { DEFAULT_RESULTS_DIR, validateInputDir } from '../core/paths.js';
import { getPaper, listPapers } from '../papers/index.js';
import { readResultSet, resultsDir } from '../harness/results.js';
import { reportText } from '../harness/summary.js';
import { PROFILES, type Profile } from '../core/types.js';

export default class Check extends ReproCommand {
  static override summary = 'Re-check existing result CSVs against the expected numbers, without rerunning';
  static override description =
    'Useful after editing expected/<paper>.json, or to check results produced elsewhere (--out). Checks the committed reference ' +
    'results/ by default; give a run with --out runs/<run-id>. A set whose files do not match ' +
    'the sha256 manifest of its run.json, or a damaged CSV, is refused with exit 2 naming the file.';
  static override examples = [
    '<%= config.bin %> check',
    '<%= config.bin %> check --out runs/20261203T174501Z-3f2a',
    '<%= config.bin %> check bamsprod --profile smoke --out /tmp/results',
  ];
  static override args = { paper: Args.string({ description: 'paper id; default every paper with results', required: false }) };
  static override flags = {
    profile: Flags.string({ options: [...PROFILES], default: 'quick', description: 'which results to check' }),
    // The committed reference by default: a run's folder has a new name each time (runs/<run-id>), so it is named.
    verbose: Flags.boolean({ description: 'also list the cells that have no expected number', default: false }),
    out: Flags.directory({
      default: DEFAULT_RESULTS_DIR,
      defaultHelp: async () => 'results',
      description: 'results root holding <paper>/<profile>/ (a run: runs/<run-id>)',
    }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Check);
    const profile = flags.profile as Profile;
    const out = validateInputDir(flags.out, '--out');
    const papers = args.paper ? [getPaper(args.paper)] : listPapers().filter((p) => existsSync(resultsDir(out, p.id, profile)));
    if (papers.length === 0)
      throw new InputError(`--out ${flags.out}: no results of profile ${profile} here. Fix: run a paper first, or give the results root with --out.`);
    const reports = papers.map((paper) => {
      const dir = resultsDir(out, paper.id, profile);
      const set = readResultSet(dir, paper.id, profile, paper.tables);
      if (!set.verified)
        this.logToStderr(
          `warning: ${dir}/run.json has no file manifest (written by an older repro): its files cannot be checked as one set. Rerun the paper to get one.`,
        );
      return { ...check(paper.id, profile, set.rows, loadPaperExpected(paper)), verified: set.verified };
    });
    if (!this.jsonEnabled()) for (const report of reports) this.log(`${reportText(report, { verbose: flags.verbose })}\n`);
    const status = reports.some((r) => overallStatus(r) === 'fail') ? 'fail' : 'pass';
    if (status === 'fail') process.exitCode = EXIT.checkFailed;
    return { status, reports: reports.map((r) => ({ ...r, counts: countStatuses(r) })) };
  }
}
