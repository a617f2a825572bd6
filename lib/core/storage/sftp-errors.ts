import { AppError } from '../errors';

interface SftpErrorLike {
  code?: number | string;
  message?: string;
  level?: string;
}

/**
 * Translates ssh2 / ssh2-sftp-client errors. SFTP status codes (2 no such file, 3 permission
 * denied) and Node's network codes are matched; the authentication failure has no code, so
 * its documented message is (DESIGN.md §9).
 */
export function translateSftpError(error: unknown, where: { host: string; port: number; path?: string }): AppError {
  const e = (error ?? {}) as SftpErrorLike;
  const cause = { cause: error };
  const server = `${where.host}:${where.port}`;
  if (e.code === 3 || e.code === 'EACCES' || /permission denied/i.test(e.message ?? '')) {
    return new AppError(
      'access_denied',
      `Permission denied on ${where.path ?? 'the remote path'} at ${server}: the SFTP user cannot write there.`,
      cause,
    );
  }
  if (e.code === 2 || e.code === 'ENOENT')
    return new AppError('not_found', `${where.path ?? 'The remote path'} does not exist on ${server}.`, cause);
  if (e.code === 4 && /space|quota/i.test(e.message ?? ''))
    return new AppError('no_space', `The SFTP server ${server} has no space left.`, cause);
  if (e.level === 'client-authentication' || /All configured authentication methods failed/.test(e.message ?? '')) {
    return new AppError(
      'auth_failed',
      `The SFTP server ${server} refused the login: check the username and the password or private key.`,
      cause,
    );
  }
  if (
    ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET'].includes(String(e.code)) ||
    /ECONNREFUSED|ENOTFOUND|ETIMEDOUT/.test(e.message ?? '')
  ) {
    const code = String(e.code ?? /E[A-Z]+/.exec(e.message ?? '')?.[0] ?? 'error');
    return new AppError(
      'unreachable',
      `Cannot reach the SFTP server ${server} (${code}). Check the host and port and that the server is running.`,
      { ...cause, retryable: true },
    );
  }
  if (e.level === 'client-timeout' || /Timed out/i.test(e.message ?? '')) {
    return new AppError('unreachable', `The SFTP server ${server} did not answer in time.`, { ...cause, retryable: true });
  }
  return new AppError('internal', `SFTP request to ${server} failed: ${e.message ?? String(error)}`, cause);
}
