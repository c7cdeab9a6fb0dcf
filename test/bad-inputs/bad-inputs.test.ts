// Every case of the bad-input corpus (corpus.ts): the exit code the README documents, a message that
// names the file or flag, no stack trace, valid `--json` errors, and nothing written in the case's
// folder. Cases run in-process through oclif (fast); those marked `spawn` also run as a real
// `node bin/run.js` process, to check real exit codes and stderr.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ReproError } from '../../src/core/errors.js';
import { startServer, type TestServer } from '../data/server.js';
import { buildCorpus, type BadInput, type Corpus } from './corpus.js';
import { ensureBuilt } from './build.js';

const ROOT = join(import.meta.dirname, '..', '..');
const STACK_LINE = /\n\s+at .+[(:]\d+/;

interface Outcome {
  exit: number;
  stdout: string;
  stderr: string;
}

/** Runs argv through the command's class from src/commands, in this process, as bin/run.js would. */
async function runInProcess(argv: string[]): Promise<Outcome> {
  const parts = argv.filter((a) => /^[a-z][a-z0-9-]*$/.test(a)).slice(0, 2);
  const file = [parts.join('/'), parts[0]!].map((p) => join(ROOT, 'src', 'commands', `${p}.ts`)).find(existsSync)!;
  const id = relative(join(ROOT, 'src', 'commands'), file)
    .replace(/\.ts$/, '')
    .split('/');
  const command = (await import(file)).default as { run(argv: string[], root: string): Promise<unknown> };
  let stdout = '';
  let stderr = '';
  const capture =
    (sink: 'out' | 'err') =>
    (...args: unknown[]) => {
      const text = `${args.map(String).join(' ')}\n`;
      if (sink === 'out') stdout += text;
      else stderr += text;
    };
  const spies = [
    vi.spyOn(console, 'log').mockImplementation(capture('out')),
    vi.spyOn(console, 'error').mockImplementation(capture('err')),
    vi.spyOn(console, 'warn').mockImplementation(capture('err')),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)),
  ];
  process.exitCode = undefined;
  let exit = 0;
  try {
    await command.run(argv.slice(id.length), ROOT);
    exit = Number(process.exitCode ?? 0);
  } catch (error) {
    const e = error as Error & { oclif?: { exit?: number }; code?: string };
    exit = e.oclif?.exit ?? 1;
    // What bin/run.js prints for an error that escapes the command: its message, or its stack for a bug.
    if (e.code !== 'EEXIT') stderr += e.oclif?.exit !== undefined ? e.message : String(e.stack);
  } finally {
    spies.forEach((s) => s.mockRestore());
    process.exitCode = undefined;
  }
  return { exit, stdout, stderr };
}

function runSpawned(argv: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'run.js'), ...argv], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ exit: code ?? -1, stdout, stderr }));
  });
}

async function runLib(c: BadInput): Promise<Outcome> {
  try {
    await c.lib!();
    return { exit: 0, stdout: '', stderr: '' };
  } catch (error) {
    if (error instanceof ReproError) return { exit: error.exitCode, stdout: '', stderr: `Error: ${error.message}` };
    return { exit: 1, stdout: '', stderr: String((error as Error).stack) };
  }
}

/** Every file under `dir` with its sha256, and every folder: what a refused input must leave as it was. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) {
        out.set(p, 'dir');
        walk(p);
      } else out.set(p, entry.isFile() ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'other');
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

function assertOutcome(c: BadInput, o: Outcome, how: string): void {
  const label = `${c.name} (${how}): ${o.stderr.slice(0, 600)}${o.stdout.slice(0, 300)}`;
  expect(o.exit, label).toBe(c.exit);
  expect(o.stderr, label).not.toMatch(STACK_LINE);
  if (c.argv?.includes('--json')) {
    // stdout is one JSON document: the error with its message, code and the exit code.
    const json = JSON.parse(o.stdout) as { error: { message: string; code: string; exit: number } };
    expect(Object.keys(json.error).sort(), label).toEqual(['code', 'exit', 'message']);
    expect(json.error.exit, label).toBe(c.exit);
    expect(typeof json.error.code, label).toBe('string');
    for (const n of c.names) expect(json.error.message, label).toMatch(typeof n === 'string' ? new RegExp(escape(n)) : n);
    return;
  }
  for (const n of c.names) expect(o.stderr, label).toMatch(typeof n === 'string' ? new RegExp(escape(n)) : n);
  // File content is quoted, not dumped: short, and no raw control bytes reach the terminal.
  expect(o.stderr.length, `${c.name}: the message is short`).toBeLessThan(3000);
  const control = [...o.stderr].find((ch) => (ch < ' ' && ch !== '\n' && ch !== '\t' && ch !== '\r') || ch === '\u007f');
  expect(control, `${c.name}: raw control bytes in the message`).toBeUndefined();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

let root: string;
let server: TestServer;
let corpus: Corpus;
const resultsBefore = snapshot(join(ROOT, 'results'));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'repro-bad-inputs-'));
  const served: Record<string, Buffer> = {};
  server = await startServer(served);
  corpus = await buildCorpus(root, server.url);
  Object.assign(served, corpus.served);
  if (corpus.cases.some((c) => c.spawn)) ensureBuilt();
}, 300_000);

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the bad-input corpus', () => {
  it('has at least 80 cases over every format the CLI reads', () => {
    expect(corpus.cases.filter((c) => !c.accepted).length).toBeGreaterThanOrEqual(80);
    const formats = new Set(corpus.cases.map((c) => c.format));
    for (const f of [
      'flags',
      'idx',
      'cifar-binary',
      'cifar-python',
      'pickle',
      'bin',
      'rec',
      'png',
      'jpeg',
      'tar',
      'tar.gz',
      'zip',
      'json',
      'csv',
      'pairs',
      'annotations',
      'topology',
      'config',
      'expected',
      'run.json',
    ] as const) {
      if (f === 'json') continue; // json is read as config, expected and run.json
      expect(formats, f).toContain(f);
    }
    expect(new Set(corpus.cases.map((c) => c.name)).size).toBe(corpus.cases.length);
  });

  it('every case: the documented exit code, a message naming the file or flag, no stack trace, nothing written', async () => {
    for (const c of corpus.cases) {
      const dir = join(root, c.name);
      const before = snapshot(dir);
      const outcome = c.lib ? await runLib(c) : await runInProcess(c.argv!);
      assertOutcome(c, outcome, c.lib ? 'library' : 'in-process');
      if (!c.accepted) expect([...snapshot(dir)], `${c.name}: wrote into its folder`).toEqual([...before]);
    }
  }, 300_000);

  it('the cases marked spawn give the same answers as real processes', async () => {
    const spawned = corpus.cases.filter((c) => c.spawn);
    expect(spawned.length).toBeGreaterThanOrEqual(10);
    // Two at a time: each process costs about a second of startup.
    for (let i = 0; i < spawned.length; i += 2) {
      const batch = spawned.slice(i, i + 2);
      const outcomes = await Promise.all(batch.map((c) => runSpawned(c.argv!)));
      batch.forEach((c, k) => assertOutcome(c, outcomes[k]!, 'spawned'));
    }
  }, 300_000);

  it('no case wrote into the committed results/', () => {
    // Only what a case could have made (every paper case runs --profile smoke); others may be writing quick results meanwhile.
    const ours = (files: Map<string, string>) => [...files.keys()].filter((p) => /\/smoke(\/|$)|\.lock$|\.(tmp|old)-\d+-/.test(p));
    expect(ours(snapshot(join(ROOT, 'results')))).toEqual(ours(resultsBefore));
    // /proc and /sys were never written (mkdir there would have hung or failed before the check).
    expect(existsSync('/proc/repro-x')).toBe(false);
    expect(statSync(root).isDirectory()).toBe(true);
  });
});
