// The registry of paper modules: one line per paper.
import type { PaperModule } from '../harness/types.js';
import { bamsprod } from './bamsprod.js';

export const PAPERS: PaperModule[] = [bamsprod];
