// `repro compare A B`: exit 0 on an unchanged copy of the reference, 1 on a value changed beyond noise
// (named in the table and in --json), 2 on a damaged or missing folder. And where `repro <paper>`
// writes: --out as given, run.json with the run id, command line and machine; results/ untouched.
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/harness/compare.js';
import { RUN_FILE, RUN_ID_PATTERN, sha256 } from '../../src/harness/results.js';
import { ROOT, runRepro } from './helpers.js';

const REFERENCE = join(ROOT, 'results');
const root = mkdtempSync(join(tmpdir(), 'repro-compare-cmd-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of results/cassod/quick with weights_cassod of context-dilated set to `value`; sha256 updated unless `rehash` is false. */
function copy(name: string, value?: string, rehash = true): { dir: string; file: string } {
  const dir = join(root, name, 'cassod', 'quick');
  cpSync(join(REFERENCE, 'cassod', 'quick'), dir, { recursive: true });
  const file = join(dir, 'weights.csv');
  if (value !== undefined) {
    const csv = readFileSync(file, 'utf8').replace(/^context-dilated,weights_cassod,[^,]+,/m, `context-dilated,weights_cassod,${value},`);
    writeFileSync(file, csv);
    if (rehash) {
      const manifest = JSON.parse(readFileSync(join(dir, RUN_FILE), 'utf8'));
      manifest.files['weights.csv'] = sha256(csv);
      writeFileSync(join(dir, RUN_FILE), JSON.stringify(manifest, null, 2));
    }
  }
  return { dir, file };
}

describe('repro compare', () => {
  it('an unchanged copy of the reference: exit 0, equal cells counted', async () => {
    copy('same');
    const { code, stdout } = await runRepro(['compare', join(root, 'same'), REFERENCE]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/1 set\(s\) compared: \d+ cells equal, 0 within noise, 0 beyond noise/);
    expect(stdout).toContain('no regression beyond noise');
  });

  it('an injected regression: exit 1, the cell named in the table and in --json', async () => {
    copy('off', '9793');
    const text = await runRepro(['compare', join(root, 'off'), REFERENCE]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/cassod\s+quick\s+weights\s+scope=context-dilated\s+weights_cassod\s+9793\s+9792\s+1\s+±0\s+beyond-noise/);
    const json = await runRepro<Comparison>(['compare', join(root, 'off'), REFERENCE, '--json']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as Comparison;
    expect(parsed.status).toBe('regression');
    expect(parsed.sets[0]!.cells.filter((c) => c.verdict === 'beyond-noise')).toEqual([
      expect.objectContaining({ table: 'weights', key: { scope: 'context-dilated' }, metric: 'weights_cassod', a: 9793, b: 9792, difference: 1 }),
    ]);
  });

  it('a damaged set exits 2 naming the file; a missing A exits 2 naming it', async () => {
    const { file } = copy('damaged', '9793', false);
    const damaged = await runRepro(['compare', join(root, 'damaged'), REFERENCE]);
    expect(damaged.code).toBe(2);
    expect(damaged.stderr).toContain(`${file}: its content does not match the sha256`);
    const missing = await runRepro(['compare', join(root, 'nosuch'), '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).error.message).toContain(`A ${join(root, 'nosuch')}: no such folder`);
  });
});

describe('where repro <paper> writes', () => {
  /** Every file under results/ with its modification time: a run with --out must change none. */
  const snapshot = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .sort()
      .map((n) => `${n} ${statSync(join(dir, n)).mtimeMs}`);

  it('--out is the results root; run.json records the run id, command line and machine; results/ is untouched', async () => {
    const before = snapshot(join(REFERENCE, 'cassod'));
    const out = join(root, 'out');
    const { code, result } = await runRepro<{ dir: string }>(['cassod', '--profile', 'smoke', '--backend', 'wasm', '--jobs', '1', '--out', out, '--json']);
    expect(code).toBe(0);
    expect(result?.dir).toBe(join(out, 'cassod', 'smoke'));
    const manifest = JSON.parse(readFileSync(join(out, 'cassod', 'smoke', RUN_FILE), 'utf8'));
    expect(manifest.runId).toMatch(RUN_ID_PATTERN);
    expect(manifest.command).toEqual(process.argv.slice(1));
    expect(manifest.machine).toMatchObject({ cores: expect.any(Number), memoryBytes: expect.any(Number), platform: process.platform });
    expect(typeof manifest.machine.cpu).toBe('string');
    expect(existsSync(join(REFERENCE, 'cassod', 'smoke'))).toBe(false);
    expect(snapshot(join(REFERENCE, 'cassod'))).toEqual(before);
  }, 300_000);

  it('repro run: one run id for every paper of the command', async () => {
    const out = join(root, 'run-all');
    const { code } = await runRepro(['run', 'condensation', 'cassod', '--profile', 'smoke', '--backend', 'wasm', '--jobs', '1', '--out', out, '--json']);
    // Exit 1 is a check of a paper, not this test's concern: both sets must exist either way.
    expect([0, 1]).toContain(code);
    const ids = ['condensation', 'cassod'].map((p) => JSON.parse(readFileSync(join(out, p, 'smoke', RUN_FILE), 'utf8')).runId);
    expect(ids[0]).toMatch(RUN_ID_PATTERN);
    expect(ids[1]).toBe(ids[0]);
  }, 300_000);

  it('--out with --update-reference exits 2 naming both flags', async () => {
    const { code, stderr } = await runRepro(['cassod', '--profile', 'smoke', '--out', join(root, 'x'), '--update-reference']);
    expect(code).toBe(2);
    expect(stderr).toContain('--update-reference');
    expect(existsSync(join(root, 'x'))).toBe(false);
  });
});
