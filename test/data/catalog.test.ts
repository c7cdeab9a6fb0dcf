import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG, datasetRequirement, datasetStatus, getDataset } from '../../src/data/catalog.js';
import { PARTIAL_DIR } from '../../src/data/download.js';
import { fetchDataset } from '../../src/data/fetch.js';
import { InputError } from '../../src/core/errors.js';
import { tempDir, writeFile } from './fixtures.js';
import { startServer } from './server.js';

describe('dataset catalogue', () => {
  it('entries are consistent: unique names, well-formed checksums, downloads land inside the dataset folder', () => {
    expect(new Set(CATALOG.map((d) => d.name)).size).toBe(CATALOG.length);
    expect(new Set(CATALOG.map((d) => d.path)).size).toBe(CATALOG.length);
    for (const d of CATALOG) {
      if (d.downloads.length) expect(d.access, d.name).toBe('public');
      for (const dl of d.downloads) {
        expect(dl.url, d.name).toMatch(/^https?:\/\//);
        if (dl.sha256) expect(dl.sha256).toMatch(/^[0-9a-f]{64}$/);
        if (dl.md5) expect(dl.md5).toMatch(/^[0-9a-f]{32}$/);
        if (dl.sha256 || dl.md5) expect(dl.checksumSource, `${d.name} ${dl.file}`).toBeTruthy();
        expect(dl.provides.startsWith(`${d.path}/`), `${d.name} ${dl.provides}`).toBe(true);
      }
    }
  });

  it('status: missing, incomplete, found; a partial download is reported', () => {
    const dataDir = tempDir();
    const lfw = getDataset('lfw');
    expect(datasetStatus(lfw, dataDir).state).toBe('missing');
    writeFile(join(dataDir, 'lfw', 'Bo', 'Bo_0001.jpg'), 'x');
    expect(datasetStatus(lfw, dataDir)).toMatchObject({ state: 'incomplete', missingMarkers: ['pairs.txt'], bytes: 1 });
    writeFile(join(dataDir, 'lfw', 'pairs.txt'), '1\n');
    writeFile(join(dataDir, PARTIAL_DIR, 'lfw.tgz.part'), 'abc');
    expect(datasetStatus(lfw, dataDir)).toMatchObject({ state: 'found', bytes: 3, partialDownloads: ['lfw.tgz.part'] });
    expect(datasetRequirement('lfw', dataDir)).toMatchObject({ name: 'lfw', path: join(dataDir, 'lfw') });
    expect(() => getDataset('nope')).toThrow(InputError);
  });

  it('fetch removes the scratch folder of an interrupted extraction', async () => {
    const server = await startServer({ 'pairs.txt': Buffer.from('1\n') });
    try {
      const dataDir = tempDir();
      writeFile(join(dataDir, PARTIAL_DIR, 'pairs.txt.extract-dead', 'junk'), 'x');
      const entry = {
        ...getDataset('lfw'),
        downloads: [{ url: `${server.url}/pairs.txt`, file: 'pairs.txt', unpack: 'none' as const, target: 'lfw/pairs.txt', provides: 'lfw/pairs.txt' }],
      };
      await fetchDataset(entry, dataDir, { verify: false });
      expect(existsSync(join(dataDir, PARTIAL_DIR))).toBe(false);
      expect(readdirSync(join(dataDir, 'lfw'))).toEqual(['pairs.txt']);
    } finally {
      await server.close();
    }
  });
});
