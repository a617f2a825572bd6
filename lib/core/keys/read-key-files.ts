import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type KeyFile, parseKeyFile } from '../crypto/key-file';
import { AppError } from '../errors';

function readOne(file: string): KeyFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AppError(
      'invalid_input',
      `Cannot read the key file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'not JSON'}.`,
    );
  }
  try {
    return parseKeyFile(raw);
  } catch {
    throw new AppError('invalid_input', `${file} is not a Cloud OS Backups key file.`);
  }
}

/**
 * Key files for opening archives by hand: one key file, or a repository directory (a local
 * target, or a copy of a remote one) whose `keys/` holds them (docs/FORMAT.md §4).
 */
export function readKeyFiles(location: string): KeyFile[] {
  const stats = (() => {
    try {
      return statSync(location);
    } catch (error) {
      throw new AppError('not_found', `Cannot read ${location}: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}.`);
    }
  })();
  if (!stats.isDirectory()) return [readOne(location)];
  const keysDir = path.join(location, 'keys');
  let names: string[];
  try {
    names = readdirSync(keysDir).filter((n) => n.endsWith('.json'));
  } catch {
    throw new AppError('not_found', `${location} is not a backup repository: it has no keys/ directory.`);
  }
  if (names.length === 0) throw new AppError('not_found', `${keysDir} holds no key files.`);
  return names.sort().map((n) => readOne(path.join(keysDir, n)));
}
