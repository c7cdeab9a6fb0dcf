// repro doctor's report: the chosen backend has every training kernel; datasets by marker files.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetStates, doctorReport, doctorText, TRAINING_KERNELS } from '../../src/engine/doctor.js';
import { WASM_TRAINING_KERNELS } from '../../src/engine/wasm-kernels.js';

describe('doctor', () => {
  it('reports wasm with the project kernels and no missing training kernel', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doctor-'));
    mkdirSync(join(dir, 'lfw'));
    writeFileSync(join(dir, 'lfw', 'pairs.txt'), '');
    mkdirSync(join(dir, 'rfw'));
    const catalog = [
      { name: 'lfw', path: 'lfw', markers: ['pairs.txt'] },
      { name: 'rfw', path: 'rfw', markers: ['txts'] },
      { name: 'casia', path: 'casia', markers: [] },
    ];
    const report = await doctorReport('wasm', dir, catalog);
    expect(report.backend.name).toBe('wasm');
    expect(report.kernels.projectWasmKernels.sort()).toEqual(Object.keys(WASM_TRAINING_KERNELS).sort());
    expect(report.kernels.missingOnBackend).toEqual([]);
    expect(report.data).toMatchObject({ dir, exists: true, writable: true });
    expect(report.data.datasets).toEqual([
      { name: 'lfw', state: 'found' },
      { name: 'rfw', state: 'incomplete' },
      { name: 'casia', state: 'missing' },
    ]);
    expect(report.versions['@tensorflow/tfjs-core']).toBe('4.22.0');
    expect(report.versions['@tensorflow/tfjs-node']).toBeNull();
    const text = doctorText(report);
    expect(text).toContain('every training kernel is registered on wasm');
    expect(text).toContain('datasets: 1 found, 1 incomplete, 1 missing (lfw: found, rfw: incomplete)');
  });

  it('lists the kernels a convolutional net needs to train', () => {
    expect(TRAINING_KERNELS).toContain('Conv2DBackpropFilter');
    expect(datasetStates([], '/nonexistent')).toEqual([]);
  });
});

describe('repro doctor, built', () => {
  it('prints no Dawn warning: the WebGPU probe runs in a child process whose stderr is dropped', async () => {
    const { repro } = await import('../commands/helpers.js');
    const { code, stdout, stderr } = repro(['doctor']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^webgpu\s+\S/m);
    expect(stderr).not.toMatch(/Warning: max\w+ artificially reduced/);
  }, 120_000);
});
