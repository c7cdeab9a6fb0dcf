import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repro } from './helpers.js';

const out = mkdtempSync(join(tmpdir(), 'repro-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('repro CLI', () => {
  it('--help lists the commands', () => {
    const { code, stdout } = repro(['--help']);
    expect(code).toBe(0);
    for (const command of ['bamsprod', 'run', 'list', 'check']) expect(stdout).toContain(command);
  });

  it('bad flags exit 2 with a readable message and no stack trace', () => {
    const bad = repro(['bamsprod', '--profile', 'fast']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Expected --profile=fast to be one of: smoke, quick, paper');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(repro(['bamsprod', '--seed', 'abc']).code).toBe(2);
    expect(repro(['bamsprod', '--no-such-flag']).code).toBe(2);
  });

  it('an unknown paper exits 2 naming the known ones', () => {
    const { code, stderr } = repro(['run', 'nosuchpaper', '--profile', 'smoke', '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown paper 'nosuchpaper'");
    expect(stderr).toContain('bamsprod');
  });

  it('repro bamsprod --profile smoke runs end to end and is deterministic', () => {
    const first = repro(['bamsprod', '--profile', 'smoke', '--backend', 'wasm', '--out', out, '--json']);
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result.status).toBe('pass');
    expect(result.backend.name).toBe('wasm');
    const dir = join(out, 'bamsprod', 'smoke');
    const convex = readFileSync(join(dir, 'convex.csv'), 'utf8');
    const bnn = readFileSync(join(dir, 'bnn.csv'), 'utf8');
    expect(convex.split('\n')[0]).toBe('optimizer,setting,metric,value,expected,tolerance,provenance,status,note');
    expect(convex).toMatch(/^adam,binary,final_w,0\.99\d+,1,±0\.01,derived,pass,/m);
    expect(bnn).toMatch(/^bop,test_accuracy,\d/m);
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(run.cells.map((c: { id: string }) => c.id)).toContain('bnn-bamsprod');

    const again = repro(['bamsprod', '--profile', 'smoke', '--backend', 'wasm', '--out', out, '--json']);
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, 'convex.csv'), 'utf8')).toBe(convex);
    expect(readFileSync(join(dir, 'bnn.csv'), 'utf8')).toBe(bnn);
  });

  it('repro check re-checks CSVs and exits 1 when a value is off', () => {
    const ok = repro(['check', 'bamsprod', '--profile', 'smoke', '--out', out]);
    expect(ok.code).toBe(0);
    const file = join(out, 'bamsprod', 'smoke', 'convex.csv');
    const csv = readFileSync(file, 'utf8');
    writeFileSync(file, csv.replace(/^adam,binary,final_w,[^,]+,/m, 'adam,binary,final_w,0.5,'));
    const bad = repro(['check', 'bamsprod', '--profile', 'smoke', '--out', out, '--json']);
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout).reports[0];
    expect(report.rows.find((r: { key: { optimizer: string; setting: string }; metric: string }) => r.key.optimizer === 'adam' && r.key.setting === 'binary' && r.metric === 'final_w').status).toBe('fail');
    expect(report.claims.find((c: { id: string }) => c.id === 'adam-fails-binary').status).toBe('fail');
  });

  it('repro list shows each paper with its expected cells', () => {
    const { code, stdout } = repro(['list', '--json']);
    expect(code).toBe(0);
    const bamsprod = JSON.parse(stdout).papers.find((p: { id: string }) => p.id === 'bamsprod');
    expect(bamsprod.tables).toEqual(['convex', 'bnn']);
    expect(bamsprod.expectedCells.derived).toBeGreaterThan(0);
  });
});

describe('every paper at the smoke profile', () => {
  it('repro run --profile smoke runs each registered paper with no crashed cell', () => {
    const { code, stdout, stderr } = repro(['run', '--profile', 'smoke', '--out', out, '--json', '--jobs', '2']);
    // 1 is allowed: some reproductions honestly miss the paper's number (the CSVs say which).
    expect([0, 1], stderr).toContain(code);
    const summary = JSON.parse(stdout);
    const listed = JSON.parse(repro(['list', '--json']).stdout).papers.map((p: { id: string }) => p.id);
    expect(summary.papers.map((p: { paper: string }) => p.paper)).toEqual(listed);
    for (const paper of summary.papers) {
      expect(paper.failedCells, paper.paper).toBe(0);
      expect(paper.pass + paper.fail + paper['no-reference'], paper.paper).toBeGreaterThan(0);
    }
  });
});
