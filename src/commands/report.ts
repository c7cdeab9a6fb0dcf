import { existsSync, statSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { ReproCommand } from '../cli/command.js';
import { InputError } from '../core/errors.js';
import { DEFAULT_RESULTS_DIR, DEFAULT_RUNS_DIR, validateInputDir, validateOutDir } from '../core/paths.js';
import { PROFILES, type Profile } from '../core/types.js';
import { readHistory } from '../harness/history.js';
import { resultsDir, writeFilesAtomically } from '../harness/results.js';
import { getPaper, listPapers } from '../papers/index.js';
import { buildReport } from '../report/index.js';

/**
 * Where the page goes without --file: <root>/report.html, except for the committed reference, which
 * changes only with --update-reference (and CI checks that the suite leaves it as it was): its report
 * goes to runs/report.html, git-ignored.
 */
export function defaultReportFile(root: string): string {
  return resolve(root) === resolve(DEFAULT_RESULTS_DIR) ? resolve(DEFAULT_RUNS_DIR, 'report.html') : resolve(root, 'report.html');
}

function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}${sep}`);
}

export default class Report extends ReproCommand {
  static override summary = 'Write a static HTML report of result sets: tables with pass/fail and provenance, claims, plots, pictures';
  static override description =
    'One page that opens offline (CSS, SVG plots and PNG pictures inline, no script, no URL). Each set under the results root is verified ' +
    'against its run.json and re-checked against expected/ first, as repro check does (exit 2 naming a damaged file). Per set: the run ' +
    'facts of run.json, the failed checks first, every claim with measured against expected, plots (training curves from curves/*.csv, verification ROCs from roc/*.csv, ' +
    'accuracy against noise rate, per-layer cycles and traffic of the hardware papers), the pictures the cells wrote, and every table. ' +
    'Without --file the page goes to <out>/report.html, or to runs/report.html for the committed results/ (which only ' +
    '--update-reference writes).';
  static override examples = [
    '<%= config.bin %> report',
    '<%= config.bin %> report mda cassod --file /tmp/report.html',
    '<%= config.bin %> report --out runs/20261203T174501Z-3f2a',
  ];
  static override strict = false;
  static override args = { papers: Args.string({ description: 'paper ids; default every paper with results', required: false }) };
  static override flags = {
    profile: Flags.string({ options: [...PROFILES], default: 'quick', description: 'which results to report' }),
    out: Flags.directory({
      default: DEFAULT_RESULTS_DIR,
      defaultHelp: async () => 'results',
      description: 'results root holding <paper>/<profile>/ (a run: runs/<run-id>)',
    }),
    history: Flags.string({ description: 'a run history (runs/history.jsonl) to plot each checked cell over its recorded runs from' }),
    file: Flags.string({ description: 'where to write the page (default: <out>/report.html; runs/report.html for the committed results/)' }),
  };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(Report);
    const profile = flags.profile as Profile;
    const root = validateInputDir(flags.out, '--out');
    const named = [...new Set(argv as string[])];
    const papers = named.length ? named.map((id) => getPaper(id)) : listPapers();
    const file = flags.file === undefined ? defaultReportFile(root) : resolve(flags.file);
    const fileFlag = flags.file === undefined ? `the default report file ${file}` : `--file ${flags.file}`;
    if (!file.toLowerCase().endsWith('.html'))
      throw new InputError(`${fileFlag}: not an .html file name. Fix: give --file a path ending in .html, e.g. runs/report.html.`);
    if (existsSync(file) && statSync(file).isDirectory())
      throw new InputError(`${fileFlag}: ${file} is a folder. Fix: give --file a file path, e.g. ${resolve(file, 'report.html')}.`);
    validateOutDir(dirname(file), '--file');
    for (const paper of papers) {
      const dir = resultsDir(root, paper.id, profile);
      if (under(file, resolve(dir)))
        throw new InputError(
          `${fileFlag}: inside the result set ${dir}, whose run.json lists its files. Fix: write the report outside it (the default is fine).`,
        );
    }
    if (named.length === 0 && !papers.some((p) => existsSync(resultsDir(root, p.id, profile))))
      throw new InputError(`--out ${flags.out}: no results of profile ${profile} here. Fix: run a paper first, or give the results root with --out.`);
    const historyFile = flags.history === undefined ? undefined : resolve(flags.history);
    if (historyFile !== undefined && !(existsSync(historyFile) && statSync(historyFile).isFile()))
      throw new InputError(`--history ${flags.history}: no such file. Fix: give a run history, e.g. runs/history.jsonl (every run appends to it).`);
    const history = historyFile === undefined ? undefined : readHistory(historyFile);
    for (const warning of history?.warnings ?? []) this.logToStderr(`warning: ${warning}`);
    const rootLabel = relative(process.cwd(), root) || '.';
    const report = await buildReport({ root, rootLabel, papers, profile, require: named, history: history?.records });
    writeFilesAtomically(dirname(file), { [basename(file)]: report.html });
    if (!this.jsonEnabled()) this.log(`report: ${file}`);
    return {
      file,
      profile,
      sets: report.sets.map((s) => ({ paper: s.paper.id, dir: s.dir, status: s.manifest.status, verified: s.verified })),
      plots: report.plots,
    };
  }
}
