// The engine benchmark's bookkeeping (no timing is asserted: speed lives in benchmarks/, not in tests).
import { describe, expect, it } from 'vitest';
import { engineBenchCsv, measurePytorch, median, withRatios, type ThroughputRow } from '../../src/bench/engine.js';
import { BENCH_MODELS } from '../../src/bench/models.js';

const row = (engine: string, cores: number, imgPerSec: number | null): ThroughputRow => ({
  model: 'small',
  engine,
  processes: engine === 'pytorch' ? 1 : cores,
  cores,
  imgPerSec,
  imgPerCpuSec: cores === 1 ? imgPerSec : null,
  ratioToPytorch: null,
  note: 'n',
});

describe('engine benchmark', () => {
  it('median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('ratios are taken against PyTorch on the same number of cores', () => {
    const rows = withRatios([row('tfjs-wasm', 1, 70), row('tfjs-wasm', 2, 140), row('pytorch', 1, 350), row('pytorch', 2, 700), row('tfjs-cpu', 4, 10)]);
    expect(rows.map((r) => r.ratioToPytorch)).toEqual([0.2, 0.2, null, null, null]);
  });

  it('writes one CSV line per row with empty cells for skipped values', () => {
    const csv = engineBenchCsv([row('tfjs-wasm', 1, 70.5), { ...row('pytorch', 1, null), note: 'skipped: PyTorch not installed' }]);
    expect(csv).toBe(
      'model,engine,processes,cores,img_per_s,img_per_cpu_s,ratio_to_pytorch_same_cores,note\n' +
        'small,tfjs-wasm,1,1,70.5,70.5,,n\n' +
        'small,pytorch,1,1,,,,skipped: PyTorch not installed\n',
    );
  });

  it('skips the peer with a reason when python is missing', () => {
    const result = measurePytorch('small', 1, { warmup: 0, steps: 1 }, '/nonexistent/python3');
    expect(result).toHaveProperty('skipped');
    expect((result as { skipped: string }).skipped).toMatch(/not runnable/);
  });

  it('reference models are the ones DESIGN.md names', () => {
    expect([BENCH_MODELS.small.convs.length, BENCH_MODELS.small.inputSize, BENCH_MODELS.small.batch]).toEqual([4, 32, 64]);
    expect([BENCH_MODELS.large.convs.length, BENCH_MODELS.large.inputSize, BENCH_MODELS.large.batch]).toEqual([8, 112, 32]);
  });
});
