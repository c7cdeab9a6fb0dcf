// compare.ts: cells of two result folders against the noise (seed spread, else tolerance, else exact),
// on copies of the committed reference; and where a run writes (resultsRootFor, latestRun, newRunId).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareFolders, compareResults, comparisonText, type PaperLookup } from '../../src/harness/compare.js';
import { loadPaperExpected } from '../../src/harness/expected.js';
import { latestRun, newRunId, resultsRootFor, RUN_FILE, RUN_ID_PATTERN, sha256 } from '../../src/harness/results.js';
import { getPaper } from '../../src/papers/index.js';
import { ROOT } from '../commands/helpers.js';

const REFERENCE = join(ROOT, 'results');
const root = mkdtempSync(join(tmpdir(), 'repro-compare-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const papers: PaperLookup = (id) => {
  const paper = getPaper(id);
  return { tables: paper.tables, expected: loadPaperExpected(paper) };
};

let copies = 0;
/** A run folder holding a copy of the committed <paper>/quick set, with `edit` applied to one CSV and its sha256 updated. */
function copyOf(paper: string, csv?: string, edit?: (text: string) => string, rehash = true): string {
  const run = join(root, `run-${++copies}`);
  const dir = join(run, paper, 'quick');
  cpSync(join(REFERENCE, paper, 'quick'), dir, { recursive: true });
  if (csv && edit) {
    const file = join(dir, csv);
    const before = readFileSync(file, 'utf8');
    const text = edit(before);
    expect(text).not.toBe(before);
    writeFileSync(file, text);
    if (rehash) {
      const manifest = JSON.parse(readFileSync(join(dir, RUN_FILE), 'utf8'));
      manifest.files[csv] = sha256(text);
      writeFileSync(join(dir, RUN_FILE), JSON.stringify(manifest, null, 2));
    }
  }
  return run;
}

const cell = (c: ReturnType<typeof compareResults>, metric: string, key: Record<string, string | number>) =>
  c.sets.flatMap((s) => s.cells).find((x) => x.metric === metric && Object.entries(key).every(([k, v]) => x.key[k] === v));

describe('compareResults', () => {
  it('an unchanged copy of the reference: every cell equal, no regression', () => {
    const c = compareResults(copyOf('bamsprod'), REFERENCE, papers);
    expect(c.status).toBe('pass');
    expect(c.sets).toHaveLength(1);
    expect(c.counts['beyond-noise'] + c.counts['within-noise'] + c.counts['only-a'] + c.counts['only-b']).toBe(0);
    expect(c.counts.equal).toBeGreaterThan(10);
    // The other papers of results/ have no counterpart in the copy: not compared, not a regression.
    expect(c.unmatched.onlyB.length).toBeGreaterThan(0);
    expect(comparisonText(c)).toContain('no regression beyond noise');
  });

  it('a value without noise changed: a regression naming the cell (exact)', () => {
    const run = copyOf('bamsprod', 'convex.csv', (t) => t.replace(/^sgd,binary,final_w,[^,]+,/m, 'sgd,binary,final_w,0.5,'));
    const c = compareResults(run, REFERENCE, papers);
    expect(c.status).toBe('regression');
    const changed = cell(c, 'final_w', { optimizer: 'sgd', setting: 'binary' })!;
    expect(changed).toMatchObject({ table: 'convex', a: 0.5, noise: 'exact', verdict: 'beyond-noise' });
    expect(changed.difference).toBeCloseTo(0.5 - changed.b!, 12);
    expect(c.counts['beyond-noise']).toBe(1);
    const text = comparisonText(c);
    expect(text).toMatch(/bamsprod\s+quick\s+convex\s+optimizer=sgd,setting=binary\s+final_w\s+0\.5/);
    expect(text).toContain('regression');
  });

  it("the expected cell's tolerance is the noise where the table records no spread", () => {
    const within = copyOf('bamsprod', 'convex.csv', (t) => t.replace(/^adam,real,final_w,1,/m, 'adam,real,final_w,1.005,'));
    const c1 = compareResults(within, REFERENCE, papers);
    expect(cell(c1, 'final_w', { optimizer: 'adam', setting: 'real' })).toMatchObject({ noise: '±0.01', verdict: 'within-noise' });
    expect(c1.status).toBe('pass');
    const beyond = copyOf('bamsprod', 'convex.csv', (t) => t.replace(/^adam,real,final_w,1,/m, 'adam,real,final_w,1.5,'));
    expect(cell(compareResults(beyond, REFERENCE, papers), 'final_w', { optimizer: 'adam', setting: 'real' })?.verdict).toBe('beyond-noise');
  });

  it('the seed spread (a std row at the same key) is the noise of the headline metric', () => {
    const spread = (std: string) =>
      copyOf('acw', 'rank1.csv', (t) =>
        t.replace(/^rgb,NU,mean,rank1,92,/m, 'rgb,NU,mean,rank1,92.5,').replace(/^rgb,NU,mean,std,0,/m, `rgb,NU,mean,std,${std},`),
      );
    const wide = compareResults(spread('1'), REFERENCE, papers);
    expect(cell(wide, 'rank1', { method: 'rgb', subset: 'NU', seed: 'mean' })).toMatchObject({ noise: 'spread 1', verdict: 'within-noise' });
    // The std row itself changed too, and it has no noise of its own.
    expect(cell(wide, 'std', { method: 'rgb', subset: 'NU', seed: 'mean' })?.verdict).toBe('beyond-noise');
    const narrow = compareResults(spread('0.25'), REFERENCE, papers);
    expect(cell(narrow, 'rank1', { method: 'rgb', subset: 'NU', seed: 'mean' })).toMatchObject({ noise: 'spread 0.25', verdict: 'beyond-noise' });
  });

  it("a seed 'mean' row's noise is the same metric at seed 'sd' (the seeds.ts convention)", () => {
    const moved = (value: string) =>
      compareResults(
        copyOf('ga', 'protection.csv', (t) => t.replace(/^faceres,none,mean,top1,[^,]+,/m, `faceres,none,mean,top1,${value},`)),
        REFERENCE,
        papers,
      );
    const key = { target: 'faceres', method: 'none', seed: 'mean' };
    expect(cell(moved('40'), 'top1', key)).toMatchObject({ verdict: 'within-noise' });
    expect(cell(moved('40'), 'top1', key)?.noise).toMatch(/^spread 17\.7/);
    expect(cell(moved('50'), 'top1', key)).toMatchObject({ verdict: 'beyond-noise' });
    // A replicate's own row has no spread: any change is beyond noise.
    const replicate = copyOf('ga', 'protection.csv', (t) => t.replace(/^faceres,none,r0,top1,[^,]+,/m, 'faceres,none,r0,top1,33,'));
    expect(cell(compareResults(replicate, REFERENCE, papers), 'top1', { ...key, seed: 'r0' })).toMatchObject({ noise: 'exact', verdict: 'beyond-noise' });
  });

  it('a cell of B missing from A is a regression; a set compared with itself directly', () => {
    const run = copyOf('bamsprod', 'bnn.csv', (t) => t.replace(/^adam,steps_to_target_loss,.*\n/m, ''));
    const c = compareResults(join(run, 'bamsprod', 'quick'), join(REFERENCE, 'bamsprod', 'quick'), papers);
    expect(c.status).toBe('regression');
    expect(cell(c, 'steps_to_target_loss', { optimizer: 'adam' })?.verdict).toBe('only-b');
  });

  it('a damaged set is refused naming the file; a missing or empty folder names the argument', () => {
    const run = copyOf('bamsprod', 'convex.csv', (t) => t.replace(/^sgd,binary,final_w,[^,]+,/m, 'sgd,binary,final_w,0.5,'), false);
    expect(() => compareResults(run, REFERENCE, papers)).toThrow(`${join(run, 'bamsprod', 'quick', 'convex.csv')}: its content does not match the sha256`);
    expect(() => compareResults(join(root, 'nosuch'), REFERENCE, papers)).toThrow(/^A .*nosuch: no such folder/);
    mkdirSync(join(root, 'empty'));
    expect(() => compareResults(REFERENCE, join(root, 'empty'), papers)).toThrow(/^B .*empty: holds no result set/);
  });

  it('folders with no set in common exit 2 saying so', () => {
    const run = join(root, 'smoke-only');
    cpSync(join(REFERENCE, 'bamsprod', 'quick'), join(run, 'bamsprod', 'smoke'), { recursive: true });
    expect(() => compareResults(run, REFERENCE, papers)).toThrow(/\(bamsprod\/smoke\) and B .* have no <paper>\/<profile> set in common/);
  });
});

describe('where a run writes', () => {
  const roots = { runsRoot: '/r/runs', referenceRoot: '/r/results', runId: '20261203T174501Z-3f2a' };

  it('a plain run goes to runs/<run-id>, checkpoints beside the runs; --update-reference to results/; --out as given', () => {
    expect(resultsRootFor(roots)).toEqual({ outRoot: '/r/runs/20261203T174501Z-3f2a', checkpointRoot: '/r/runs' });
    expect(resultsRootFor({ ...roots, updateReference: true })).toEqual({ outRoot: '/r/results', checkpointRoot: '/r/results' });
    expect(resultsRootFor({ ...roots, out: '/tmp/x' })).toEqual({ outRoot: '/tmp/x', checkpointRoot: '/tmp/x' });
    expect(() => resultsRootFor({ ...roots, out: '/tmp/x', updateReference: true })).toThrow(/--out \/tmp\/x and --update-reference/);
  });

  it('run ids sort by time; latestRun skips checkpoints and other names; compare defaults to it and results/', () => {
    expect(newRunId(new Date('2026-12-03T17:45:01.123Z'))).toMatch(/^20261203T174501Z-[0-9a-f]{4}$/);
    expect(newRunId()).toMatch(RUN_ID_PATTERN);
    const runs = join(root, 'runs');
    expect(latestRun(runs)).toBeNull();
    expect(() => compareFolders(undefined, undefined, runs, REFERENCE)).toThrow(/no run under .*runs yet/);
    for (const name of ['20261203T174501Z-3f2a', '20261204T080000Z-0001', '.checkpoints', 'notes']) mkdirSync(join(runs, name), { recursive: true });
    expect(latestRun(runs)).toBe(join(runs, '20261204T080000Z-0001'));
    expect(compareFolders(undefined, undefined, runs, REFERENCE)).toEqual({ a: join(runs, '20261204T080000Z-0001'), b: REFERENCE });
    expect(compareFolders('/a', '/b', runs, REFERENCE)).toEqual({ a: '/a', b: '/b' });
  });
});
