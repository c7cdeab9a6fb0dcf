// Looks papers up by id.
import { PAPERS } from '../papers/index.js';
import { InputError } from './errors.js';
import type { PaperModule } from './types.js';

export function listPapers(): PaperModule[] {
  return PAPERS;
}

export function getPaper(id: string): PaperModule {
  const paper = PAPERS.find((p) => p.id === id);
  if (!paper) {
    throw new InputError(`unknown paper '${id}'. Known papers: ${PAPERS.map((p) => p.id).join(', ')} (see repro list).`);
  }
  return paper;
}
