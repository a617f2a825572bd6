import { readFileSync } from 'node:fs';
import { AppError } from '../lib/core/errors';

let stdinTaken = false;

/**
 * Reads a secret from a file, or from standard input when the path is "-". Secrets never come
 * from argv, where `ps` and shell history would show them. One trailing newline is dropped
 * (what `echo` and editors add); anything else is kept as typed.
 */
export function readSecretFile(filePath: string, what: string): string {
  if (filePath === '-') {
    if (stdinTaken) throw new AppError('invalid_input', 'only one secret can be read from standard input');
    stdinTaken = true;
  }
  let text: string;
  try {
    text = readFileSync(filePath === '-' ? 0 : filePath, 'utf8');
  } catch (error) {
    throw new AppError(
      'invalid_input',
      `cannot read the ${what} file ${filePath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return text.replace(/\r?\n$/, '');
}
