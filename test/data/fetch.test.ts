import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetEntry } from '../../src/data/catalog.js';
import { PARTIAL_DIR } from '../../src/data/download.js';
import { fetchDataset } from '../../src/data/fetch.js';
import { extractTarGz } from '../../src/data/tar.js';
import { DatasetMissingError, InputError } from '../../src/core/errors.js';
import { tarBytes, tarHeader, tempDir, writeFile } from './fixtures.js';
import { startServer, type TestServer } from './server.js';

const big = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7 + (i >> 8)) & 255));
const archive = gzipSync(tarBytes({ 'toy/a.txt': 'alpha\n', 'toy/sub/b.bin': Buffer.alloc(700, 9) }));
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ 'big.bin': big, 'toy.tar.gz': archive, 'junk.tar.gz': gzipSync(Buffer.alloc(1024, 65)) });
});
afterAll(() => server.close());

function entry(overrides: Partial<DatasetEntry> = {}): DatasetEntry {
  return {
    name: 'toy',
    title: 'toy dataset',
    papers: [],
    path: 'toy',
    licence: 'test',
    access: 'public',
    obtain: 'test server',
    homepage: 'http://127.0.0.1/',
    downloads: [
      { url: `${server.url}/toy.tar.gz`, file: 'toy.tar.gz', sha256: sha(archive), unpack: 'tar.gz', target: '.', provides: 'toy/a.txt' },
      {
        url: `${server.url}/big.bin`,
        file: 'big.bin',
        sha256: sha(big),
        md5: md5(big),
        bytes: big.length,
        unpack: 'none',
        target: 'toy/big.bin',
        provides: 'toy/big.bin',
      },
    ],
    markers: ['a.txt', 'big.bin'],
    verify: async (dir) => [{ check: 'b.bin size', status: statSync(join(dir, 'sub', 'b.bin')).size === 700 ? 'ok' : 'fail', detail: 'size' }],
    ...overrides,
  };
}

describe('repro data fetch (local HTTP server)', () => {
  it('downloads, checks sha256 and md5, extracts, verifies and leaves no partial files', async () => {
    const dataDir = tempDir();
    const report = await fetchDataset(entry(), dataDir);
    expect(report.files.map((f) => [f.file, f.status])).toEqual([
      ['toy.tar.gz', 'downloaded'],
      ['big.bin', 'downloaded'],
    ]);
    expect(readFileSync(join(dataDir, 'toy', 'a.txt'), 'utf8')).toBe('alpha\n');
    expect(readFileSync(join(dataDir, 'toy', 'big.bin')).equals(big)).toBe(true);
    expect(report.verification!.checks.at(-1)).toEqual({ check: 'b.bin size', status: 'ok', detail: 'size' });
    expect(report.verification!.checks[0]).toEqual({ check: 'checksum big.bin', status: 'ok', detail: 'sha256 matches' });
    expect(existsSync(join(dataDir, PARTIAL_DIR))).toBe(false);
    const again = await fetchDataset(entry(), dataDir);
    expect(again.files.map((f) => f.status)).toEqual(['present', 'present']);
  });

  it('resumes an interrupted download with an HTTP Range request', async () => {
    const dataDir = tempDir();
    server.cutNext.set('big.bin', 100_000);
    const e = entry({ downloads: [entry().downloads[1]!] });
    await expect(fetchDataset(e, dataDir)).rejects.toThrow(InputError);
    const part = join(dataDir, PARTIAL_DIR, 'big.bin.part');
    const have = statSync(part).size;
    expect(have).toBeGreaterThan(0);
    expect(have).toBeLessThanOrEqual(100_000);
    expect(readFileSync(part).equals(big.subarray(0, have))).toBe(true);
    expect(existsSync(join(dataDir, 'toy', 'big.bin'))).toBe(false);
    const before = server.requests.length;
    const report = await fetchDataset(e, dataDir, { verify: false });
    expect(server.requests.slice(before)).toEqual([{ path: 'big.bin', range: `bytes=${have}-` }]);
    expect(report.files[0]!.resumedFrom).toBe(have);
    expect(readFileSync(join(dataDir, 'toy', 'big.bin')).equals(big)).toBe(true);
    expect(existsSync(part)).toBe(false);
  });

  it('aborts a stalled download after the idle timeout, keeping the bytes for a resume', async () => {
    const dataDir = tempDir();
    server.stallNext.set('big.bin', 70_000);
    const e = entry({ downloads: [entry().downloads[1]!] });
    await expect(fetchDataset(e, dataDir, { idleTimeoutMs: 300 })).rejects.toThrow('no data for 0.3 s');
    const part = join(dataDir, PARTIAL_DIR, 'big.bin.part');
    const have = statSync(part).size;
    expect(have).toBeGreaterThan(0);
    expect(have).toBeLessThanOrEqual(70_000);
    await fetchDataset(e, dataDir, { verify: false });
    expect(readFileSync(join(dataDir, 'toy', 'big.bin')).equals(big)).toBe(true);
  });

  it('starts over when the server ignores the Range header', async () => {
    const dataDir = tempDir();
    writeFile(join(dataDir, PARTIAL_DIR, 'big.bin.part'), Buffer.alloc(5000, 1)); // stale bytes
    server.ignoreRange.add('big.bin');
    try {
      await fetchDataset(entry({ downloads: [entry().downloads[1]!] }), dataDir, { verify: false });
    } finally {
      server.ignoreRange.delete('big.bin');
    }
    expect(readFileSync(join(dataDir, 'toy', 'big.bin')).equals(big)).toBe(true);
  });

  it('a sha256 mismatch is an InputError and leaves nothing behind', async () => {
    const dataDir = tempDir();
    const bad = { ...entry().downloads[1]!, sha256: '0'.repeat(64), md5: undefined, bytes: undefined };
    const e = entry({ downloads: [bad] });
    await expect(fetchDataset(e, dataDir)).rejects.toThrow(`sha256 ${sha(big)}, expected ${'0'.repeat(64)}`);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('HTTP errors and corrupt archives are InputErrors; nothing half-extracted is placed', async () => {
    const dataDir = tempDir();
    const missing = { ...entry().downloads[1]!, url: `${server.url}/nope.bin`, file: 'nope.bin' };
    await expect(fetchDataset(entry({ downloads: [missing] }), dataDir)).rejects.toThrow('HTTP 404');
    const junk = { url: `${server.url}/junk.tar.gz`, file: 'junk.tar.gz', unpack: 'tar.gz' as const, target: '.', provides: 'toy/a.txt' };
    await expect(fetchDataset(entry({ downloads: [junk] }), dataDir)).rejects.toThrow(InputError);
    expect(readdirSync(dataDir).filter((f) => f !== PARTIAL_DIR)).toEqual([]);
    expect(existsSync(join(dataDir, PARTIAL_DIR)) ? readdirSync(join(dataDir, PARTIAL_DIR)) : []).toEqual([]);
  });

  it('a dataset without public downloads cannot be fetched; a missing one fails verification with exit 3', async () => {
    await expect(fetchDataset(entry({ downloads: [] }), tempDir())).rejects.toThrow("dataset 'toy' has no public download address");
    const { verifyDataset } = await import('../../src/data/catalog.js');
    await expect(verifyDataset(entry(), tempDir())).rejects.toThrow(DatasetMissingError);
  });
});

describe('tar.gz extraction', () => {
  it('extracts ustar files and refuses unsafe paths', async () => {
    const dir = tempDir();
    const file = writeFile(join(dir, 'x.tar.gz'), archive);
    expect(await extractTarGz(file, join(dir, 'out'))).toEqual(['toy/a.txt', 'toy/sub/b.bin']);
    expect(readFileSync(join(dir, 'out', 'toy', 'sub', 'b.bin'))).toEqual(Buffer.alloc(700, 9));
    const evil = writeFile(join(dir, 'evil.tar.gz'), gzipSync(tarBytes({ '../escape.txt': 'x' })));
    await expect(extractTarGz(evil, join(dir, 'out2'))).rejects.toThrow("at byte offset 0 of the uncompressed data: unsafe entry path '../'");
    const cut = writeFile(join(dir, 'cut.tar.gz'), gzipSync(tarBytes({ 'a.bin': Buffer.alloc(2000, 1) }).subarray(0, 1200)));
    await expect(extractTarGz(cut, join(dir, 'out3'))).rejects.toThrow('the tar archive ends early');
  });

  it("skips './' and folder entries written as files; a file over a folder is an error naming the entry, not EISDIR", async () => {
    const dir = tempDir();
    const dotSlash = Buffer.concat([tarHeader('./', 0, '0'), tarHeader('toy/', 0, '0'), tarBytes({ 'toy/a.txt': 'alpha' })]);
    const file = writeFile(join(dir, 'dot.tar.gz'), gzipSync(dotSlash));
    expect(await extractTarGz(file, join(dir, 'out'))).toEqual(['toy/a.txt']);
    const clash = writeFile(join(dir, 'clash.tar.gz'), gzipSync(Buffer.concat([tarHeader('toy/', 0, '5'), tarBytes({ toy: 'a file where the folder is' })])));
    await expect(extractTarGz(clash, join(dir, 'out2'))).rejects.toThrow(
      /clash\.tar\.gz at byte offset \d+ of the uncompressed data: entry 'toy' cannot be written to .*EISDIR/,
    );
  });
});

describe('mergeInto', () => {
  it('merges folders, replacing files and keeping others', async () => {
    const { mergeInto } = await import('../../src/data/download.js');
    const dir = tempDir();
    writeFile(join(dir, 'from', 'a', 'x.txt'), 'new');
    writeFile(join(dir, 'from', 'b', 'y.txt'), 'y');
    writeFile(join(dir, 'from', 'c.txt'), 'c');
    writeFile(join(dir, 'to', 'a', 'keep.txt'), 'keep');
    writeFile(join(dir, 'to', 'a', 'x.txt'), 'old');
    mergeInto(join(dir, 'from'), join(dir, 'to'), 'a/x.txt');
    expect(readFileSync(join(dir, 'to', 'a', 'x.txt'), 'utf8')).toBe('new');
    expect(readFileSync(join(dir, 'to', 'a', 'keep.txt'), 'utf8')).toBe('keep');
    expect(readFileSync(join(dir, 'to', 'b', 'y.txt'), 'utf8')).toBe('y');
    expect(existsSync(join(dir, 'from'))).toBe(false);
  });
});
