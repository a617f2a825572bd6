import { userInfo } from 'node:os';
import { AppError } from '../errors';

function processUser(): string {
  try {
    const { username, uid } = userInfo();
    return `user ${username}, uid ${uid}`;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

/** Turns a file-system error on a local target into our codes, with the fix in the message. */
export function translateLocalError(error: unknown, path: string, doing: 'write' | 'read' | 'list' | 'delete'): AppError {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new AppError(
        'access_denied',
        `Permission denied: the Cloud OS process (${processUser()}) cannot ${doing === 'write' ? 'write to' : doing} ${path}. Give it ${doing === 'write' ? 'write' : 'read'} access to the directory, or choose another.`,
        { cause: error },
      );
    case 'EROFS':
      return new AppError('access_denied', `${path} is on a read-only file system; choose a writable directory.`, {
        cause: error,
      });
    case 'ENOSPC':
    case 'EDQUOT':
      return new AppError('no_space', `No space left on the device holding ${path}. Free space, or choose another target.`, {
        cause: error,
      });
    case 'ENOENT':
      return new AppError('not_found', `${path} does not exist.`, { cause: error });
    case 'ENOTDIR':
      return new AppError('misconfigured', `A part of ${path} is a file, not a directory.`, { cause: error });
    default:
      return new AppError('internal', `Cannot ${doing} ${path}: ${(error as Error)?.message ?? String(error)}`, {
        cause: error,
        retryable: code === 'EIO' || code === 'EAGAIN',
      });
  }
}
