// Loads expected/<paper>.json and validates it against expected/schema.json (ajv).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { InputError } from '../core/errors.js';
import { EXPECTED_DIR } from '../core/paths.js';
import type { ExpectedFile } from '../core/types.js';

let validator: ReturnType<Ajv['compile']> | null = null;

function validate(data: unknown): ErrorObject[] {
  if (!validator) {
    const schema = JSON.parse(readFileSync(join(EXPECTED_DIR, 'schema.json'), 'utf8'));
    validator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return validator(data) ? [] : (validator.errors ?? []);
}

function describe(error: ErrorObject): string {
  const path = error.instancePath || '/';
  const extra =
    error.keyword === 'additionalProperties'
      ? ` (${(error.params as { additionalProperty: string }).additionalProperty})`
      : error.keyword === 'enum'
        ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`
        : '';
  return `${path}: ${error.message}${extra}`;
}

/** Parses and validates expected numbers; `file` is only used in messages. */
export function parseExpected(text: string, file: string): ExpectedFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${(error as Error).message}). Fix the syntax and rerun.`);
  }
  const errors = validate(data);
  if (errors.length > 0) {
    // `if/then` reports twice; keep the specific messages.
    const lines = [...new Set(errors.filter((e) => e.keyword !== 'if').map(describe))];
    throw new InputError(
      `${file}: does not match expected/schema.json:\n  ${lines.join('\n  ')}\nFix these JSON paths and rerun.`,
    );
  }
  return data as ExpectedFile;
}

export function expectedPath(paper: string, dir = EXPECTED_DIR): string {
  return join(dir, `${paper}.json`);
}

export function loadExpected(paper: string, dir = EXPECTED_DIR): ExpectedFile {
  const file = expectedPath(paper, dir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`${file}: cannot read the expected numbers of '${paper}'. Restore the file from git.`);
  }
  const expected = parseExpected(text, file);
  if (expected.paper !== paper) {
    throw new InputError(`${file}: /paper is '${expected.paper}' but the file belongs to '${paper}'. Fix /paper.`);
  }
  return expected;
}
