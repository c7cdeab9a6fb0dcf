// The oclif glue of every command: shared flags, --json errors, and `repro <paper>` built from its module.
import { join, resolve } from 'node:path';
import { Command, Flags } from '@oclif/core';
import { BACKEND_CHOICES, type BackendChoice } from '../engine/backend.js';
import { asInputError, ERROR_CODES, EXIT, ReproError } from '../core/errors.js';
import { DEFAULT_RESULTS_DIR, DEFAULT_RUNS_DIR, resolveDataDir } from '../core/paths.js';
import { createProgress, progressMode } from '../core/progress.js';
import { MAX_SEED } from '../core/rng.js';
import { HISTORY_FILE } from '../harness/history.js';
import { DEFAULT_SEED, MAX_JOBS, runPaper, validateRunOptions, type RunOptions } from '../harness/runner.js';
import { defaultJobs } from '../harness/pool.js';
import { newRunId, readRunManifest, resultsDir, resultsRootFor } from '../harness/results.js';
import { reportText } from '../harness/summary.js';
import { PROFILES, type PaperModule, type Profile } from '../core/types.js';
import { REGISTRY_URL } from '../papers/index.js';

export const runFlags = {
  profile: Flags.string({
    description: 'smoke: seconds, tiny models; quick: minutes on a 2-core CPU, embedded data; paper: the published protocol on real datasets',
    options: [...PROFILES],
    default: 'quick',
  }),
  seed: Flags.integer({ description: `seed of every random source, 0 to ${MAX_SEED} (recorded in run.json)`, default: DEFAULT_SEED, min: 0, max: MAX_SEED }),
  backend: Flags.string({
    description: 'tfjs backend; auto picks the fastest available and says which',
    options: [...BACKEND_CHOICES],
    default: 'auto',
  }),
  out: Flags.directory({
    description: 'results root; files go to <out>/<paper>/<profile>/ (default: a new runs/<run-id>/, git-ignored)',
  }),
  'update-reference': Flags.boolean({
    description: 'write the committed reference results/<paper>/<profile>/ instead of a new runs/<run-id>/',
    default: false,
  }),
  'data-dir': Flags.directory({ description: 'datasets folder (default: $REPRO_DATA_DIR, else ~/.cache/repro/data)' }),
  verbose: Flags.boolean({ description: 'also list the cells that have no expected number (they are counted either way)', default: false }),
  jobs: Flags.integer({
    description: `worker processes for independent cells, 1 to ${MAX_JOBS} (default: one per core; 1 runs them in this process)`,
    min: 1,
    max: MAX_JOBS,
  }),
};

export interface RunFlagValues {
  profile: string;
  seed: number;
  backend: string;
  out?: string;
  'update-reference': boolean;
  'data-dir'?: string;
  jobs?: number;
  verbose: boolean;
  json: boolean;
}

/**
 * The run options of the flags, every one checked before any work (exit 2 naming the flag). One run id
 * per call: every paper of one `repro run` lands in the same runs/<run-id>/.
 */
export function runOptions(flags: RunFlagValues): RunOptions {
  const runId = newRunId();
  const roots = resultsRootFor({
    out: flags.out,
    updateReference: flags['update-reference'],
    runId,
    runsRoot: DEFAULT_RUNS_DIR,
    referenceRoot: DEFAULT_RESULTS_DIR,
  });
  const options: RunOptions = {
    profile: flags.profile as Profile,
    seed: flags.seed,
    backend: flags.backend as BackendChoice,
    ...roots,
    runId,
    dataDir: resolveDataDir(flags['data-dir']),
    progress: createProgress(progressMode(flags.json)),
    jobs: flags.jobs ?? Math.min(defaultJobs(), MAX_JOBS),
    registryUrl: REGISTRY_URL,
    historyFile: process.env.REPRO_HISTORY_FILE || join(resolve(flags.out ?? DEFAULT_RUNS_DIR), HISTORY_FILE),
  };
  return { ...options, ...validateRunOptions(options) };
}

/** What a failed command prints with --json, and its exit code. */
export interface JsonError {
  error: { message: string; code: string; exit: number };
}

/**
 * An error as the user sees it: a ReproError's own exit code; oclif's parse errors (bad flag, missing
 * argument) exit 2; a file-system error with a path is bad input (exit 2); anything else is a bug (1).
 */
export function describeError(error: Error): JsonError['error'] {
  const e = asInputError(error) as Error & { oclif?: { exit?: number }; code?: unknown };
  if (e instanceof ReproError) return { message: e.message, code: e.code, exit: e.exitCode };
  const oclifExit = e.oclif?.exit;
  if (oclifExit !== undefined)
    return { message: e.message, code: oclifExit === EXIT.badInput ? 'bad_usage' : (ERROR_CODES[oclifExit] ?? 'error'), exit: oclifExit };
  return { message: e.message || String(e), code: typeof e.code === 'string' ? e.code : 'internal_error', exit: 1 };
}

/** Base of every command: --json, and user errors printed as one message with their exit code. */
export abstract class ReproCommand extends Command {
  static override enableJsonFlag = true;

  protected override async catch(error: Error & { code?: unknown }): Promise<unknown> {
    if (error.code === 'EEXIT') throw error; // this.exit(n): already reported
    const described = describeError(error);
    if (this.jsonEnabled()) {
      this.logJson({ error: described } satisfies JsonError);
      this.exit(described.exit);
    }
    const converted = asInputError(error);
    if (converted instanceof ReproError) {
      this.logToStderr(`Error: ${converted.message}`);
      this.exit(converted.exitCode);
    }
    // oclif's own parse errors print their message (and exit 2); bugs keep their stack for a report.
    return super.catch(error);
  }
}

/**
 * How long the committed reference run of a profile took, from its run.json (wall time, --jobs, cores,
 * date); null where no reference exists or it cannot be read (help must never fail).
 */
export function measuredDuration(paperId: string, profile: Profile, resultsRoot = DEFAULT_RESULTS_DIR): string | null {
  try {
    const m = readRunManifest(resultsDir(resultsRoot, paperId, profile));
    const minutes = (Date.parse(m.endedAt) - Date.parse(m.startedAt)) / 60_000;
    if (!Number.isFinite(minutes)) return null;
    const jobsAt = m.command?.indexOf('--jobs') ?? -1;
    const facts = [...(jobsAt >= 0 ? [`--jobs ${m.command![jobsAt + 1]}`] : []), ...(m.machine ? [`${m.machine.cores} cores`] : []), m.startedAt.slice(0, 10)];
    const wall = minutes < 1 ? `${Math.max(1, Math.round(minutes * 60))} s` : `${minutes.toFixed(1)} min`;
    return `${wall} (${facts.join(', ')})`;
  } catch {
    return null;
  }
}

/** `--help` of a paper: its description, then its tables, what each profile needs and how long it took. */
export function paperHelp(paper: PaperModule): string {
  const width = Math.max(...paper.tables.map((t) => t.id.length));
  const tables = paper.tables.map((t) => `  ${t.id.padEnd(width)}  ${t.title}`);
  const profiles = PROFILES.map((profile) => {
    const needs = paper.datasets(profile, '<data-dir>').map((d) => d.name);
    const took = measuredDuration(paper.id, profile);
    return (
      `  ${profile.padEnd(5)}  ${needs.length > 0 ? `needs ${needs.join(', ')} in the data directory` : 'embedded data'}` +
      `; ${took ? `reference run took ${took}` : 'no reference run committed'}`
    );
  });
  return `${paper.description}\n\nTables (<out>/${paper.id}/<profile>/<table>.csv):\n${tables.join('\n')}\n\nProfiles:\n${profiles.join('\n')}`;
}

/** `repro <paper>`: a command file is `export default paperCommand(module)`. */
export function paperCommand(paper: PaperModule): typeof ReproCommand {
  return class extends ReproCommand {
    static override summary = paper.summary;
    static override description = paperHelp(paper);
    static override examples = paper.examples;
    static override flags = runFlags;

    async run(): Promise<unknown> {
      const { flags } = await this.parse(this.constructor as typeof ReproCommand);
      const { report, manifest, dir } = await runPaper(paper, runOptions(flags as RunFlagValues));
      if (!this.jsonEnabled()) {
        this.log(reportText(report, { verbose: (flags as RunFlagValues).verbose }));
        for (const cell of manifest.cells.filter((c) => c.error)) this.log(`cell ${cell.id} failed: ${cell.error}`);
        this.log(`results: ${dir}`);
      }
      if (manifest.status === 'fail') process.exitCode = EXIT.checkFailed;
      return { status: manifest.status, runId: manifest.runId, dir, report, cells: manifest.cells, backend: manifest.backend };
    }
  };
}
