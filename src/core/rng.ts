// Seeded pseudo-random numbers (sfc32 seeded through splitmix32): every random source takes one.
import { InputError } from './errors.js';

/** Seeds are 32-bit: the generators use a seed mod 2^32, so only 0 ≤ seed ≤ MAX_SEED is taken as given. */
export const MAX_SEED = 2 ** 32 - 1;

/** Throws InputError (exit 2) unless `seed` is an integer in [0, MAX_SEED], so that what is recorded is what is used. */
export function assertSeed(seed: number, what = '--seed'): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new InputError(`${what} ${seed} is not a whole number from 0 to ${MAX_SEED}. Fix: give a seed in that range (seeds are 32-bit).`);
  }
  return seed;
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Fisher-Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[];
  /** A fresh 32-bit seed for a child generator or a tfjs op. */
  seed(): number;
  /** The generator's position, to save in a checkpoint. */
  getState(): RngState;
  /** Moves the generator to a saved position: it then continues exactly as the saved one did. */
  setState(state: RngState): void;
}

/** sfc32's four words and Box-Muller's pending value. */
export interface RngState {
  words: [number, number, number, number];
  spare: number | null;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRng(seed: number): Rng {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  let spare: number | null = null;
  return {
    next,
    int: (n) => Math.floor(next() * n),
    normal() {
      if (spare !== null) {
        const v = spare;
        spare = null;
        return v;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    shuffle<T>(items: T[]): T[] {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
      return items;
    },
    seed: () => Math.floor(next() * 4294967296) >>> 0,
    getState: () => ({ words: [a, b, c, d], spare }),
    setState(state) {
      [a, b, c, d] = state.words;
      spare = state.spare;
    },
  };
}

/** A seed for one named experiment, derived from the run's seed (FNV-1a over the name). */
export function derivedSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
