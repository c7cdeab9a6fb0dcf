import { getPaper } from '../../src/papers/index.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/engine/tf.js';
import { DatasetMissingError } from '../../src/core/errors.js';
import { loadExpected } from '../../src/harness/expected.js';
import { runPaper } from '../../src/harness/runner.js';
import { sface } from '../../src/papers/sface.js';

describe('sface paper module', () => {
  const out = mkdtempSync(join(tmpdir(), 'repro-sface-'));
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('quick plans 3 noise rates x 4 heads; the heads of a rate share the network seed', () => {
    const cells = sface.plan('quick', 1);
    expect(cells).toHaveLength(12);
    const at40 = cells.filter((c) => c.params.noise === 40);
    expect(at40.map((c) => c.params.head)).toEqual(['softmax', 'cosface', 'arcface', 'sface']);
    expect(new Set(at40.map((c) => c.seed)).size).toBe(1);
  });

  it('every quick claim refers to a planned row', () => {
    const planned = new Set(sface.plan('quick', 1).map((c) => `${c.params.noise}|${c.params.head}`));
    for (const claim of loadExpected('sface').claims) {
      for (const ref of [claim.left, claim.right]) {
        if (typeof ref === 'number') continue;
        expect(planned.has(`${ref.key.noise}|${ref.key.head}`)).toBe(true);
      }
    }
  });

  it('paper profile names the missing CASIA-WebFace set (exit 3)', async () => {
    const paths = sface.datasets('paper', '/data').map((d) => d.path);
    expect(paths[0]).toBe('/data/faces_webface_112x112');
    expect(paths).toContain('/data/faces_webface_112x112/lfw.bin');
    await expect(runPaper(getPaper('sface'), { profile: 'paper', seed: 1, backend: 'cpu', outRoot: out, dataDir: '/nonexistent-data' })).rejects.toBeInstanceOf(DatasetMissingError);
  });

  it('smoke run trains four heads and writes the noise table', async () => {
    const run = await runPaper(getPaper('sface'), { profile: 'smoke', seed: 7, backend: 'cpu', outRoot: out, dataDir: '/nonexistent-data' });
    expect(run.manifest.cells.every((c) => !c.error)).toBe(true);
    const acc = run.report.rows.filter((r) => r.metric === 'accuracy');
    expect(acc.map((r) => r.key.head)).toEqual(['softmax', 'cosface', 'arcface', 'sface']);
    for (const r of acc) {
      expect(r.value).toBeGreaterThanOrEqual(0);
      expect(r.value).toBeLessThanOrEqual(100);
      expect(r.note).toContain('insightface-10fold');
    }
    const csv = readFileSync(join(run.dir, 'noise.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('noise,head,metric,value,expected,tolerance,provenance,status,note');
  });
});
