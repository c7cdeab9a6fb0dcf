// The harness as a library: run a paper, check results, read expected numbers.
export * from '../core/types.js';
export {
  definePaper,
  oneCell,
  type RowOf,
  type TableDecl,
  type TableDecls,
  type CellKind,
  type PlannedCell,
  type PaperDefinition,
  type DefinedPaper,
} from './define-paper.js';
export { runPaper, requireDatasets, validateRunOptions, DEFAULT_SEED, type RunOptions, type PaperRun } from './runner.js';
export { check, overallStatus, countStatuses, withinTolerance, keyId, formatTolerance } from './checker.js';
export { loadExpected, loadPaperExpected, parseExpected, checkAgainstTables } from './expected.js';
export { readMeasuredRows, readResultSet, verifyResultSet, commitResultSet, formatNumber, tableCsv, writeFilesAtomically, type ResultSet } from './results.js';
export { lockResultsFolder, type FolderLock, type LockOwner } from './lock.js';
export { createRng, derivedSeed, assertSeed, MAX_SEED, type Rng } from '../core/rng.js';
export { ReproError, InputError, DatasetMissingError, EXIT } from '../core/errors.js';
