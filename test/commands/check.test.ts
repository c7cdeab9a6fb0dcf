// `repro check`: re-checks a result set without rerunning; exit 0, 1 (a value off), 2 (unknown paper,
// a file changed after the run, no results). In-process through @oclif/test's runCommand.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_FILE, sha256 } from '../../src/harness/results.js';
import { runPaper } from '../../src/harness/runner.js';
import { getPaper } from '../../src/papers/index.js';
import { runRepro } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'repro-check-'));
const fresh = join(root, 'fresh');
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await runPaper(getPaper('bamsprod'), { profile: 'smoke', seed: 1, backend: 'wasm', outRoot: fresh, dataDir: root, jobs: 1 });
}, 300_000);

/** A copy of the fresh set whose convex.csv has adam's binary final_w replaced by 0.5. */
function tampered(name: string, rehash: boolean): { out: string; file: string } {
  const out = join(root, name);
  cpSync(fresh, out, { recursive: true });
  const dir = join(out, 'bamsprod', 'smoke');
  const file = join(dir, 'convex.csv');
  const csv = readFileSync(file, 'utf8').replace(/^adam,binary,final_w,[^,]+,/m, 'adam,binary,final_w,0.5,');
  writeFileSync(file, csv);
  if (rehash) {
    const manifest = JSON.parse(readFileSync(join(dir, RUN_FILE), 'utf8'));
    manifest.files['convex.csv'] = sha256(csv);
    writeFileSync(join(dir, RUN_FILE), JSON.stringify(manifest, null, 2));
  }
  return { out, file };
}

describe('repro check', () => {
  it('an unknown paper exits 2 naming the known ones', async () => {
    const { code, stderr } = await runRepro(['check', 'nosuch', '--profile', 'smoke', '--out', fresh]);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown paper 'nosuch'");
    expect(stderr).toContain('bamsprod');
  });

  it('a results root without results of the profile exits 2', async () => {
    const { code, stderr } = await runRepro(['check', '--profile', 'quick', '--out', fresh]);
    expect(code).toBe(2);
    expect(stderr).toContain('no results of profile quick');
  });

  it('re-checks a fresh set: exit 0', async () => {
    const { code, result } = await runRepro<{ status: string }>(['check', 'bamsprod', '--profile', 'smoke', '--out', fresh]);
    expect(code).toBe(0);
    expect(result?.status).toBe('pass');
  });

  it('a CSV changed after the run exits 2 naming it (run.json holds the sha256 of every file)', async () => {
    const { out, file } = tampered('changed', false);
    const { code, stderr } = await runRepro(['check', 'bamsprod', '--profile', 'smoke', '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}: its content does not match the sha256`);
  });

  it('a value off the expected number exits 1, marking its row and claim failed', async () => {
    const { out } = tampered('off', true);
    const bad = await runRepro(['check', 'bamsprod', '--profile', 'smoke', '--out', out, '--json']);
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout).reports[0];
    expect(
      report.rows.find(
        (r: { key: { optimizer: string; setting: string }; metric: string }) =>
          r.key.optimizer === 'adam' && r.key.setting === 'binary' && r.metric === 'final_w',
      ).status,
    ).toBe('fail');
    expect(report.claims.find((c: { id: string }) => c.id === 'adam-fails-binary').status).toBe('fail');
  });
});
