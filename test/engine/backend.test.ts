import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/engine/backend.js';
import { InputError } from '../../src/harness/errors.js';

describe('backend selection', () => {
  it('auto says which backend it took and why the faster ones were skipped', async () => {
    const selection = await selectBackend('auto');
    expect(['webgpu', 'tensorflow', 'wasm']).toContain(selection.name);
    if (selection.name === 'wasm') {
      expect(selection.reason).toMatch(/webgpu: /);
      expect(selection.reason).toMatch(/tensorflow: tfjs-node not installed/);
    }
  });

  it('an unknown backend is a usage error', async () => {
    await expect(selectBackend('gpu' as never)).rejects.toBeInstanceOf(InputError);
  });
});

describe('code that reads tensors synchronously', () => {
  it('is refused on webgpu with a message naming it', async () => {
    const error = await selectBackend('webgpu', { webgpu: false, who: 'repro mda' }).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe('repro mda reads tensors synchronously and cannot run on webgpu yet. Use --backend wasm.');
  });

  it('makes auto skip webgpu and say so', async () => {
    const selection = await selectBackend('auto', { webgpu: false, who: 'repro mda' });
    expect(selection.name).not.toBe('webgpu');
    if (selection.name === 'wasm') expect(selection.reason).toContain('webgpu: repro mda does not run on webgpu yet');
  });
});
