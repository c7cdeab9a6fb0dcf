// The registry of paper modules: one line per paper.
import type { PaperModule } from '../harness/types.js';
import { sface } from './sface.js';
import { lrfr } from './lrfr.js';
import { bamsprod } from './bamsprod.js';
import { cassod } from './cassod.js';
import { condensation } from './condensation.js';
import { ddc } from './ddc.js';
import { mda } from './mda.js';

export const PAPERS: PaperModule[] = [bamsprod, cassod, ddc, condensation, mda, sface, lrfr];
