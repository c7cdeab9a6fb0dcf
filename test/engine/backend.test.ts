import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/engine/backend.js';
import { InputError } from '../../src/core/errors.js';

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
