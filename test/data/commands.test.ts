// `repro data list|verify|fetch` run in-process (oclif Command.run) against temp data dirs and a
// local HTTP server; exit codes 2 (corrupt) and 3 (missing) checked.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import DataFetch from '../../src/commands/data/fetch.js';
import DataList from '../../src/commands/data/list.js';
import DataVerify from '../../src/commands/data/verify.js';
import { CATALOG } from '../../src/data/catalog.js';
import { pngBytes, tarBytes, tempDir, writeFile } from './fixtures.js';
import { startServer, type TestServer } from './server.js';

const ROOT = join(import.meta.dirname, '..', '..');

interface Outcome {
  exit: number;
  stdout: string;
  stderr: string;
}

/** Runs a command class with argv; collects stdout/stderr and the exit code. */
async function run(command: { run(argv: string[], opts: string): Promise<unknown> }, argv: string[]): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  // oclif writes through console.log / console.error
  const out = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (stdout += `${a.map(String).join(' ')}\n`));
  const err = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (stderr += `${a.map(String).join(' ')}\n`));
  let exit = 0;
  try {
    await command.run(argv, ROOT);
  } catch (error) {
    exit = (error as { oclif?: { exit?: number } }).oclif?.exit ?? -1;
    if (exit === -1) stderr += String(error);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { exit, stdout, stderr };
}

/** FDDB-like archives: 10 folds of one image each. */
async function fddbArchives(): Promise<Record<string, Buffer>> {
  const pics: Record<string, Buffer> = {};
  const folds: Record<string, string> = {};
  for (let f = 1; f <= 10; f++) {
    const name = `2002/07/${f}/big/img_${f}`;
    pics[`${name}.jpg`] = await pngBytes(5, 4, [f, 0, 0]);
    folds[`FDDB-folds/FDDB-fold-${String(f).padStart(2, '0')}-ellipseList.txt`] = `${name}\n1\n10 8 0.5 2 2 1\n`;
  }
  return { 'originalPics.tar.gz': gzipSync(tarBytes(pics)), 'FDDB-folds.tgz': gzipSync(tarBytes(folds)) };
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer(await fddbArchives());
});
afterAll(() => server.close());

describe('repro data commands', () => {
  it('list --json: every catalogue dataset, missing in an empty data dir', async () => {
    const dataDir = tempDir();
    const { exit, stdout } = await run(DataList, ['--data-dir', dataDir, '--json']);
    expect(exit).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.dataDir).toBe(dataDir);
    expect(result.datasets.map((d: { name: string }) => d.name)).toEqual(CATALOG.map((d) => d.name));
    const lfw = result.datasets.find((d: { name: string }) => d.name === 'lfw');
    expect(lfw).toMatchObject({ state: 'missing', path: join(dataDir, 'lfw'), access: 'public', fetchable: true, bytes: null });
    expect(result.datasets.find((d: { name: string }) => d.name === 'rfw')).toMatchObject({ access: 'request', fetchable: false });
  });

  it('list (text) shows found datasets with their size, and how to obtain missing ones', async () => {
    const dataDir = tempDir();
    writeFile(join(dataDir, 'cifar-100-binary', 'train.bin'), Buffer.alloc(3074 * 2));
    writeFile(join(dataDir, 'cifar-100-binary', 'test.bin'), Buffer.alloc(3074));
    const { exit, stdout } = await run(DataList, ['--data-dir', dataDir]);
    expect(exit).toBe(0);
    expect(stdout).toContain(`cifar100           FOUND 9.0 KiB  ${join(dataDir, 'cifar-100-binary')}`);
    expect(stdout).toMatch(/cifar10 {12}MISSING/);
    expect(stdout).toContain('obtain: repro data fetch cifar10');
  });

  it('verify: exit 3 when missing, exit 2 on a corrupt file, 0 with checks otherwise', async () => {
    const dataDir = tempDir();
    const missing = await run(DataVerify, ['cifar100', '--data-dir', dataDir]);
    expect(missing.exit).toBe(3);
    expect(missing.stderr).toContain(
      `not found at ${join(dataDir, 'cifar-100-binary')} nor at ${join(dataDir, 'cifar-100-python')} (the python version, cifar-100-python.tar.gz). To obtain it`,
    );
    const train = writeFile(join(dataDir, 'cifar-100-binary', 'train.bin'), Buffer.alloc(3074 * 2));
    writeFile(join(dataDir, 'cifar-100-binary', 'test.bin'), Buffer.alloc(3074));
    const good = await run(DataVerify, ['cifar100', '--data-dir', dataDir, '--json']);
    expect(good.exit).toBe(0);
    const report = JSON.parse(good.stdout);
    expect(report.status).toBe('warn');
    expect(report.checks[0]).toEqual({ check: 'train images', status: 'warn', detail: '2, published 50000: a subset or a different release' });
    writeFileSync(train, Buffer.alloc(3074 + 100));
    const corrupt = await run(DataVerify, ['cifar100', '--data-dir', dataDir, '--json']);
    expect(corrupt.exit).toBe(2);
    expect(JSON.parse(corrupt.stdout).error.message).toContain(`${train} at byte offset 3074: short read`);
    const unknown = await run(DataVerify, ['nosuch', '--data-dir', dataDir]);
    expect(unknown.exit).toBe(2);
  });

  it('fetch fddb from a mirror: extracted, verified; a second fetch finds it in place', async () => {
    const dataDir = tempDir();
    const first = await run(DataFetch, ['fddb', '--data-dir', dataDir, '--mirror', server.url, '--json']);
    expect(first.exit).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.files.map((f: { file: string; status: string }) => `${f.file}:${f.status}`)).toEqual([
      'originalPics.tar.gz:downloaded',
      'FDDB-folds.tgz:downloaded',
    ]);
    expect(report.verification.checks[0]).toEqual({ check: 'images', status: 'warn', detail: '10, published 2845: a subset or a different release' });
    const verify = await run(DataVerify, ['fddb', '--data-dir', dataDir, '--deep']);
    expect(verify.exit).toBe(0);
    expect(verify.stdout).toContain('ok   images decode: 10 of 10 images fully decoded: 5x4 (10)');
    const again = await run(DataFetch, ['fddb', '--data-dir', dataDir, '--mirror', server.url]);
    expect(again.stdout).toContain('originalPics.tar.gz: already in place');
  });

  it('fetch: a request-only dataset exits 2 with how to obtain it', async () => {
    const { exit, stderr } = await run(DataFetch, ['rfw', '--data-dir', tempDir()]);
    expect(exit).toBe(2);
    expect(stderr).toContain("dataset 'rfw' has no public download address (request)");
  });
});
