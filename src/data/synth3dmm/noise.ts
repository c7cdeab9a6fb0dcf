// Cheap seeded Gaussian noise for per-pixel use.
import { createRng, type Rng } from '../../core/rng.js';

/**
 * Per-pixel noise comes from a fixed table of standard normals (drawn once with createRng) read at a
 * per-face random offset and odd stride: 65,536 Box-Muller draws per face would cost more than the
 * whole render. The table's seed is a constant so that faces stay reproducible.
 */
const NOISE_TABLE_BITS = 16;
const NOISE_TABLE_MASK = (1 << NOISE_TABLE_BITS) - 1;
const NOISE_TABLE = (() => {
  const rng = createRng(0x6e6f6973);
  const table = new Float32Array(1 << NOISE_TABLE_BITS);
  for (let i = 0; i < table.length; i++) table[i] = rng.normal();
  return table;
})();

/** A stream of standard normals from NOISE_TABLE, placed by `rng`. */
export function noiseStream(rng: Rng): () => number {
  let index = rng.int(1 << NOISE_TABLE_BITS);
  const stride = 1 + 2 * rng.int(1 << (NOISE_TABLE_BITS - 2));
  return () => {
    index = (index + stride) & NOISE_TABLE_MASK;
    return NOISE_TABLE[index]!;
  };
}
