import { getPaper } from '../../src/papers/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/engine/tf.js';
import { DatasetMissingError } from '../../src/core/errors.js';
import { loadExpected } from '../../src/harness/expected.js';
import { runPaper } from '../../src/harness/runner.js';
import { LRFR_RESOLUTIONS, lrfr } from '../../src/papers/lrfr.js';

describe('lrfr paper module', () => {
  const out = mkdtempSync(join(tmpdir(), 'repro-lrfr-'));
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('quick plans the five training variants with one network seed', () => {
    const cells = lrfr.plan('quick', 1);
    expect(cells.map((c) => c.params.variant)).toEqual(['none', 'hard-only', 'mra', 'mra+logexp', 'mra+l2']);
    expect(new Set(cells.map((c) => c.seed)).size).toBe(1);
  });

  it('every quick claim refers to a planned variant and resolution', () => {
    const variants = new Set(lrfr.plan('quick', 1).map((c) => c.params.variant));
    for (const claim of loadExpected('lrfr').claims) {
      for (const ref of [claim.left, claim.right]) {
        if (typeof ref === 'number') continue;
        expect(variants.has(ref.key.variant as string)).toBe(true);
        expect(LRFR_RESOLUTIONS).toContain(ref.key.r);
      }
    }
  });

  it('paper profile needs SCface, XQLFW and TinyFace (exit 3 naming them)', async () => {
    expect(lrfr.datasets('paper', '/data').map((d) => d.name)).toEqual(['casia-webface', 'scface', 'xqlfw', 'tinyface']);
    const run = runPaper(getPaper('lrfr'), { profile: 'paper', seed: 1, backend: 'cpu', outRoot: out, dataDir: '/nonexistent-data' });
    await expect(run).rejects.toBeInstanceOf(DatasetMissingError);
    await expect(run).rejects.toThrow(/scface[\s\S]*xqlfw[\s\S]*tinyface/);
  });

  it('smoke run measures every resolution for both variants', async () => {
    const run = await runPaper(getPaper('lrfr'), { profile: 'smoke', seed: 3, backend: 'cpu', outRoot: out, dataDir: '/nonexistent-data' });
    expect(run.manifest.cells.every((c) => !c.error)).toBe(true);
    const acc = run.report.rows.filter((r) => r.metric === 'accuracy');
    expect(acc).toHaveLength(2 * LRFR_RESOLUTIONS.length);
    for (const r of acc) {
      expect(r.value).toBeGreaterThanOrEqual(0);
      expect(r.value).toBeLessThanOrEqual(100);
    }
    const logexp = acc.find((r) => r.key.variant === 'mra+logexp')!;
    expect(logexp.note).toContain('[recon]');
    expect(logexp.note).toContain('log-cosh');
  });
});
