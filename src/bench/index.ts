// Public API of the benchmarks' code: the two reference models of `repro bench engine` (the throughput
// measurement itself, engine.ts, is reached through that command).
export { BENCH_MODELS, benchBatch, buildBenchModel, trainStep, type BenchModel, type BenchModelSpec, type BenchConvSpec } from './models.js';
