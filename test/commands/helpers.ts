// Two ways to run the CLI in tests:
//  - runRepro: in this process through @oclif/test's runCommand, on the TypeScript sources of
//    src/commands (no build needed): flags, help and exit codes;
//  - repro: the built CLI (`node bin/run.js`) as a user runs it; `npm test` builds dist/ first. Keep it
//    for the one end-to-end run (test/commands/cli.test.ts): every spawn costs a Node start and the
//    import of the whole CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { format } from 'node:util';
import { runCommand } from '@oclif/test';
import { vi } from 'vitest';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function repro(args: string[], env: Record<string, string> = {}): CliResult {
  if (!existsSync(join(ROOT, 'dist', 'commands'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
  const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'run.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env, NO_COLOR: '1' },
    timeout: 300_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

// oclif imports command files with Node's own import(), outside vitest's module graph: the test-only
// hooks let Node run the .ts sources (they also serve the pool's worker processes, test/harness/pool.test.ts).
register('../harness/fixtures/ts-hooks.mjs', import.meta.url);

/** package.json with oclif pointed at src/commands instead of the built dist/commands. */
const SOURCE_PJSON = (() => {
  const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return { ...pjson, oclif: { ...pjson.oclif, commands: './src/commands' } };
})();

export interface CommandResult<T = unknown> extends CliResult {
  /** What the command's run() returned (its --json object). */
  result?: T;
  /** The error the command ended with; `code` is its exit code (2 for oclif's parse errors). */
  error?: Error;
}

/**
 * Runs `repro <args>` in this process on the sources and returns its exit code and output, as the
 * user would see them: oclif's parse errors (printed by bin/run.js) are appended to stderr.
 */
export async function runRepro<T = unknown>(args: string[]): Promise<CommandResult<T>> {
  // oclif prints through console.log/console.error, which vitest intercepts before runCommand's capture
  // of process.stdout/stderr: hand them back to the streams.
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void process.stdout.write(`${format(...a)}\n`));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void process.stderr.write(`${format(...a)}\n`));
  const exitCodeBefore = process.exitCode;
  process.exitCode = undefined;
  try {
    const out = await runCommand<T>(args, { root: ROOT, pjson: SOURCE_PJSON });
    const e = out.error as (Error & { oclif?: { exit?: number }; code?: string }) | undefined;
    const code = e ? (e.oclif?.exit ?? 1) : Number(process.exitCode ?? 0);
    const stderr = e && e.code !== 'EEXIT' ? `${out.stderr}${e.message}\n` : out.stderr;
    return { code, stdout: out.stdout, stderr, result: out.result, error: e };
  } finally {
    process.exitCode = exitCodeBefore;
    log.mockRestore();
    error.mockRestore();
  }
}
