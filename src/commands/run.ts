import { Args } from '@oclif/core';
import { ReproCommand, runFlags, runOptions, type RunFlagValues } from '../cli/command.js';
import { countStatuses } from '../harness/checker.js';
import { EXIT } from '../core/errors.js';
import { loadPaperExpected } from '../harness/expected.js';
import { getPaper, listPapers } from '../papers/index.js';
import { runPaper } from '../harness/runner.js';
import { failuresText, textTable } from '../harness/summary.js';

export default class Run extends ReproCommand {
  static override summary = 'Run several papers (default: every registered paper) and print one summary table';
  static override description =
    'Each paper writes its tables to runs/<run-id>/<paper>/<profile>/ (one run id for the whole command; git-ignored), or to ' +
    '<out>/<paper>/<profile>/ with --out; --update-reference rewrites the committed results/ instead. The exit code is the worst status: 1 if any check failed.';
  static override examples = [
    '<%= config.bin %> run',
    '<%= config.bin %> run bamsprod cassod --profile smoke',
    '<%= config.bin %> run --json > summary.json',
    '<%= config.bin %> run --update-reference',
  ];
  static override strict = false;
  static override args = { papers: Args.string({ description: 'paper ids (see repro list); default all', required: false }) };
  static override flags = runFlags;

  async run(): Promise<unknown> {
    const { flags, argv } = await this.parse(Run);
    const ids = (argv as string[]).length > 0 ? (argv as string[]) : listPapers().map((p) => p.id);
    // Unknown ids, bad expected files and bad flags fail before the first paper runs.
    for (const id of ids) loadPaperExpected(getPaper(id));
    const options = runOptions(flags as RunFlagValues);
    const summary = [];
    const failures: string[] = [];
    for (const id of ids) {
      const { report, manifest, dir } = await runPaper(getPaper(id), options);
      const failed = failuresText(report);
      if (failed) failures.push(failed);
      const counts = countStatuses(report);
      const seconds = (Date.parse(manifest.endedAt) - Date.parse(manifest.startedAt)) / 1000;
      summary.push({ paper: id, status: manifest.status, ...counts, failedCells: manifest.cells.filter((c) => c.error).length, seconds, dir });
    }
    if (!this.jsonEnabled()) {
      // Failures first, so that a handful of them does not hide among the rows that passed.
      for (const failed of failures) this.log(`${failed}\n`);
      this.log(
        textTable(
          ['paper', 'status', 'pass', 'fail', 'no-ref', 'seconds', 'results'],
          summary.map((s) => [s.paper, s.status, String(s.pass), String(s.fail), String(s['no-reference']), s.seconds.toFixed(1), s.dir]),
        ),
      );
    }
    const status = summary.some((s) => s.status === 'fail') ? 'fail' : 'pass';
    if (status === 'fail') process.exitCode = EXIT.checkFailed;
    return { status, runId: options.runId, profile: options.profile, seed: options.seed, papers: summary };
  }
}
