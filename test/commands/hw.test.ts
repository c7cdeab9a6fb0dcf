// `repro hw`: costs a network, writes the reports, reads a topology back; exit 2 with file:line:column.
// In-process through @oclif/test's runCommand.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../src/hardware/index.js';
import { runRepro } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'repro-hw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('repro hw', () => {
  it('costs a built-in network, writes the reports, and reads its own topology back to the same reports', async () => {
    const out1 = join(dir, 'a');
    const first = await runRepro(['hw', '--network', 'retinaface-cassod', '--out', out1, '--json']);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.macs).toBe(950_502_400);
    const out2 = join(dir, 'b');
    const second = await runRepro(['hw', '--topology', join(out1, 'TOPOLOGY.csv'), '--out', out2]);
    expect(second.code).toBe(0);
    for (const f of ['COMPUTE_REPORT.csv', 'BANDWIDTH_REPORT.csv']) expect(readFileSync(join(out2, f), 'utf8')).toBe(readFileSync(join(out1, f), 'utf8'));
  });

  it('a bad topology exits 2 with file:line:column and no stack trace', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nc1, 10, 10, x, 3, 4, 4, 1,\n');
    const { code, stderr } = await runRepro(['hw', '--topology', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}:2:13: Filter Height 'x' is not a whole number`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('a bad configuration exits 2 with file:line:column', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{\n  "parallelPixels": -4\n}\n');
    const { code, stderr } = await runRepro(['hw', '--network', 'tiny-yolov2', '--config', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}:2:3: /parallelPixels must be >= 1`);
  });

  it('a missing file and a missing source exit 2', async () => {
    const missing = await runRepro(['hw', '--topology', join(dir, 'nope.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.csv: the topology does not exist');
  });

  it('--print-defaults prints a valid configuration', async () => {
    const { code, stdout } = await runRepro(['hw', '--print-defaults']);
    expect(code).toBe(0);
    expect(parseConfig(stdout, 'defaults.json')).toEqual(DEFAULT_CONFIG);
  });
});
