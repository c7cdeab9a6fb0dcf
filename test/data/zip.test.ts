import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDataset, type DatasetEntry } from '../../src/data/catalog.js';
import { PARTIAL_DIR, wrapInTopFolder } from '../../src/data/download.js';
import { fetchDataset } from '../../src/data/fetch.js';
import { extractZip } from '../../src/data/zip.js';
import { InputError } from '../../src/core/errors.js';
import { tempDir, writeFile, zipBytes } from './fixtures.js';
import { startServer, type TestServer } from './server.js';

const payload = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) & 255));

describe('zip extraction', () => {
  it('extracts stored and deflated entries and folders; returns the files in archive order', async () => {
    const dir = tempDir();
    const zip = writeFile(
      join(dir, 'a.zip'),
      zipBytes({ 'top/': '', 'top/a.txt': { data: 'alpha\n', method: 'store' }, 'top/sub/b.bin': payload, 'top/empty/': '' }),
    );
    expect(await extractZip(zip, join(dir, 'out'))).toEqual(['top/a.txt', 'top/sub/b.bin']);
    expect(readFileSync(join(dir, 'out', 'top', 'a.txt'), 'utf8')).toBe('alpha\n');
    expect(readFileSync(join(dir, 'out', 'top', 'sub', 'b.bin')).equals(payload)).toBe(true);
    expect(readdirSync(join(dir, 'out', 'top', 'empty'))).toEqual([]);
  });

  it('skips symbolic links and refuses paths that leave the destination', async () => {
    const dir = tempDir();
    const links = writeFile(join(dir, 'l.zip'), zipBytes({ 'x/link': { data: '/etc/passwd', mode: 0o120777 }, 'x/f.txt': 'f' }));
    expect(await extractZip(links, join(dir, 'out'))).toEqual(['x/f.txt']);
    expect(existsSync(join(dir, 'out', 'x', 'link'))).toBe(false);
    for (const evil of ['../escape.txt', '/abs/escape.txt', 'a/../../escape.txt']) {
      const zip = writeFile(join(dir, 'evil.zip'), zipBytes({ [evil]: 'x' }));
      await expect(extractZip(zip, join(dir, 'out2'))).rejects.toThrow(`${zip}: unsafe entry path`);
    }
    expect(existsSync(join(dir, 'escape.txt'))).toBe(false);
  });

  it('a truncated zip, a corrupted entry and a non-zip are InputErrors naming the archive', async () => {
    const dir = tempDir();
    const whole = zipBytes({ 'a.bin': { data: payload, method: 'store' } });
    const cut = writeFile(join(dir, 'cut.zip'), whole.subarray(0, whole.length - 30));
    await expect(extractZip(cut, join(dir, 'o1'))).rejects.toThrow(InputError);
    await expect(extractZip(cut, join(dir, 'o1'))).rejects.toThrow(
      `${cut}: not a readable zip archive (End of central directory record signature not found. Either not a zip file, or file is truncated). Fix: the download is truncated or corrupted`,
    );
    const flipped = Buffer.from(whole);
    flipped[30 + 'a.bin'.length + 100] ^= 0xff; // one data byte of the stored entry
    const bad = writeFile(join(dir, 'bad.zip'), flipped);
    await expect(extractZip(bad, join(dir, 'o2'))).rejects.toThrow(`${bad} at byte offset 0: CRC-32 mismatch in entry 'a.bin'`);
    const deflated = zipBytes({ 'd.bin': payload });
    const broken = Buffer.from(deflated);
    broken.fill(0xff, 30 + 'd.bin'.length, 30 + 'd.bin'.length + 8); // garbage deflate stream
    const junk = writeFile(join(dir, 'junk.zip'), broken);
    await expect(extractZip(junk, join(dir, 'o3'))).rejects.toThrow(`${junk}: broken zip archive at entry 'd.bin'`);
    const html = writeFile(join(dir, 'page.zip'), '<html>quota exceeded</html>');
    await expect(extractZip(html, join(dir, 'o4'))).rejects.toThrow('not a readable zip archive');
  });

  it('wrapInTopFolder: keeps an archive that has the folder, wraps one that has not, drops __MACOSX', () => {
    const dir = tempDir();
    writeFile(join(dir, 'a', 'top', 'x.txt'), 'x');
    writeFile(join(dir, 'a', '__MACOSX', 'top', '._x.txt'), 'junk');
    wrapInTopFolder(join(dir, 'a'), 'top');
    expect(readdirSync(join(dir, 'a'))).toEqual(['top']);
    writeFile(join(dir, 'b', 'Alice', 'Alice_0001.jpg'), 'a');
    writeFile(join(dir, 'b', 'readme.txt'), 'r');
    wrapInTopFolder(join(dir, 'b'), 'top');
    expect(readdirSync(join(dir, 'b'))).toEqual(['top']);
    expect(readdirSync(join(dir, 'b', 'top')).sort()).toEqual(['Alice', 'readme.txt']);
  });
});

describe('repro data fetch of zip datasets (local HTTP server)', () => {
  const wrapped = zipBytes({ 'Ann/Ann_0001.jpg': 'a1', 'Ann/Ann_0002.jpg': 'a2' }); // no top folder
  const topped = zipBytes({ 'WIDER_val/': '', 'WIDER_val/images/0--Parade/p.jpg': { data: 'p', method: 'store' } });
  const corrupt = zipBytes({ 'WIDER_val/images/x.jpg': payload }).subarray(0, 200);
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      'xqlfw_aligned_112.zip': wrapped,
      'xqlfw_pairs.txt': Buffer.from('Ann 1 2\n'),
      'WIDER_val.zip': topped,
      'bad/WIDER_val.zip': corrupt,
      'page/tinyface.zip': Buffer.from('<html>'),
    });
    server.contentTypes.set('page/tinyface.zip', 'text/html; charset=utf-8');
  });
  afterAll(() => server.close());

  it('xqlfw through --mirror: the zip without a top folder lands in xqlfw_aligned_112/, the pairs beside it', async () => {
    const dataDir = tempDir();
    const report = await fetchDataset(getDataset('xqlfw'), dataDir, { mirror: server.url, verify: false });
    expect(report.files.map((f) => [f.file, f.status])).toEqual([
      ['xqlfw_aligned_112.zip', 'downloaded'],
      ['xqlfw_pairs.txt', 'downloaded'],
    ]);
    expect(readFileSync(join(dataDir, 'xqlfw', 'xqlfw_aligned_112', 'Ann', 'Ann_0002.jpg'), 'utf8')).toBe('a2');
    expect(readdirSync(join(dataDir, 'xqlfw')).sort()).toEqual(['xqlfw_aligned_112', 'xqlfw_pairs.txt']);
    expect(existsSync(join(dataDir, PARTIAL_DIR))).toBe(false);
    const again = await fetchDataset(getDataset('xqlfw'), dataDir, { mirror: server.url, verify: false });
    expect(again.files.map((f) => f.status)).toEqual(['present', 'present']);
  });

  const widerVal = (url: string): DatasetEntry => {
    const entry = getDataset('widerface');
    const val = entry.downloads.find((d) => d.file === 'WIDER_val.zip')!;
    return { ...entry, downloads: [{ ...val, url, md5: undefined }] };
  };

  it('a zip with its top folder is merged as is', async () => {
    const dataDir = tempDir();
    await fetchDataset(widerVal(`${server.url}/WIDER_val.zip`), dataDir, { verify: false });
    expect(readFileSync(join(dataDir, 'widerface', 'WIDER_val', 'images', '0--Parade', 'p.jpg'), 'utf8')).toBe('p');
    expect(readdirSync(join(dataDir, 'widerface'))).toEqual(['WIDER_val']);
  });

  it('the catalogue md5 is checked: a different file is refused before extraction', async () => {
    const dataDir = tempDir();
    const entry = getDataset('widerface');
    const val = entry.downloads.find((d) => d.file === 'WIDER_val.zip')!;
    await expect(fetchDataset({ ...entry, downloads: [{ ...val, url: `${server.url}/WIDER_val.zip` }] }, dataDir)).rejects.toThrow(`expected ${val.md5}`);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('a corrupt zip exits 2 naming the archive; nothing reaches the dataset folder', async () => {
    const dataDir = tempDir();
    const error = await fetchDataset(widerVal(`${server.url}/bad/WIDER_val.zip`), dataDir, { verify: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    // The part file is removed with the rest, so the message names the download instead.
    expect((error as Error).message).toContain(`WIDER_val.zip (downloaded from ${server.url}/bad/WIDER_val.zip)`);
    expect((error as Error).message).toContain('not a readable zip archive');
    expect(readdirSync(dataDir).filter((f) => f !== PARTIAL_DIR)).toEqual([]);
    expect(existsSync(join(dataDir, PARTIAL_DIR)) ? readdirSync(join(dataDir, PARTIAL_DIR)) : []).toEqual([]);
  });

  it('a web page served instead of the archive (Google Drive quota page) is refused without being stored', async () => {
    const dataDir = tempDir();
    const entry = getDataset('tinyface');
    const dl = { ...entry.downloads[0]!, url: `${server.url}/page/tinyface.zip` };
    await expect(fetchDataset({ ...entry, downloads: [dl] }, dataDir)).rejects.toThrow('the server sent a web page instead of tinyface.zip');
    expect(existsSync(join(dataDir, PARTIAL_DIR, 'tinyface.zip.part'))).toBe(false);
  });
});
