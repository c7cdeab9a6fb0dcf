// Errors a user can act on. Commands print the message (no stack trace) and exit with the code.

export const EXIT = { ok: 0, checkFailed: 1, badInput: 2, datasetMissing: 3 } as const;

export class ReproError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.badInput,
  ) {
    super(message);
    this.name = 'ReproError';
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
