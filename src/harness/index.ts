// The harness as a library: run a paper, check results, read expected numbers.
export * from '../core/types.js';
export { runPaper, requireDatasets, DEFAULT_SEED, type RunOptions, type PaperRun } from './runner.js';
export { check, overallStatus, countStatuses, withinTolerance, keyId } from './checker.js';
export { loadExpected, parseExpected } from './expected.js';
export { readMeasuredRows, tableCsv, writeFilesAtomically } from './results.js';
export { createRng, derivedSeed, type Rng } from '../core/rng.js';
export { ReproError, InputError, DatasetMissingError, EXIT } from '../core/errors.js';
