// Errors a user can act on. Commands print the message (no stack trace) and exit with the code.

// `regression` shares 1 with `checkFailed`: both mean "the numbers are not what they should be", so a
// nightly job fails on either (`repro compare`, src/harness/compare.ts).
export const EXIT = { ok: 0, checkFailed: 1, regression: 1, badInput: 2, datasetMissing: 3 } as const;

/** The `code` of a `--json` error, by exit code (README "Exit codes"). */
export const ERROR_CODES: Record<number, string> = { 1: 'check_failed', 2: 'bad_input', 3: 'dataset_missing' };

export class ReproError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.badInput,
  ) {
    super(message);
    this.name = 'ReproError';
  }

  /** A stable machine-readable name of the kind of error (the `code` of `--json` errors). */
  get code(): string {
    return ERROR_CODES[this.exitCode] ?? 'error';
  }
}

/** Bad usage or bad input file: exit 2. */
export class InputError extends ReproError {
  constructor(message: string) {
    super(message, EXIT.badInput);
    this.name = 'InputError';
  }
}

/** A dataset the profile needs is not in the data directory: exit 3. */
export class DatasetMissingError extends ReproError {
  constructor(message: string) {
    super(message, EXIT.datasetMissing);
    this.name = 'DatasetMissingError';
  }
}

/**
 * A file-system error that escaped the loaders (ENOTDIR, EACCES, EISDIR... with a path) is still the
 * user's input: exit 2 naming the path, never a raw stack. Other errors are returned unchanged.
 */
export function asInputError(error: unknown): unknown {
  const e = error as NodeJS.ErrnoException;
  if (error instanceof ReproError || !(error instanceof Error) || typeof e.code !== 'string' || typeof e.path !== 'string') return error;
  return new InputError(
    `${e.path}: cannot ${e.syscall ?? 'access'} (${e.code}: ${e.message.replace(/^[A-Z]+: /, '')}). Fix: check the path and its permissions.`,
  );
}
