import { AppError } from '../errors';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Object keys are what the engine generates (`archives/<id>.cob`, `keys/<id>.json`): relative
 * paths of simple segments. Anything else is a programming error or an attack, refused before
 * it reaches a file system or a URL.
 */
export function assertValidKey(key: string): void {
  const segments = key.split('/');
  if (key.length === 0 || key.length > 512 || !segments.every((s) => SEGMENT.test(s))) {
    throw new AppError(
      'invalid_input',
      `Invalid object key "${key.slice(0, 80)}": use letters, digits, ".", "_" and "-" in "/"-separated parts.`,
    );
  }
}

/** A prefix is a key or a key followed by "/", or empty for everything. */
export function assertValidPrefix(prefix: string): void {
  if (prefix === '') return;
  assertValidKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}

/** Temporary names start with "." so they never pass `assertValidKey` and never list. */
export function isTemporaryName(name: string): boolean {
  return name.startsWith('.');
}

const TEMPORARY = /^\.(.+)\.tmp-([0-9a-f]{12})$/;

/** The temporary name a put of a file named `base` writes first (local and SFTP drivers). */
export function temporaryNameFor(base: string, random: string): string {
  return `.${base}.tmp-${random}`;
}

/** The file name a temporary was written for ("x.cob" for ".x.cob.tmp-0123456789ab"), or null. */
export function temporaryFor(name: string): string | null {
  return TEMPORARY.exec(name)?.[1] ?? null;
}
