import path from 'node:path/posix';
import type { SFTPWrapper, Stats } from 'ssh2';

/**
 * An SFTP channel and a signal that aborts when its connection is gone: ssh2 silently drops
 * requests sent on a closed channel, so without it they would wait forever.
 */
export interface Channel {
  sftp: SFTPWrapper;
  lost: AbortSignal;
}

/** Promise form of an ssh2 callback call, rejected with `lost.reason` if the connection goes. */
export function call<T = void>(
  { lost }: Channel,
  start: (done: (error: Error | null | undefined, value: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (lost.aborted) return reject(lost.reason);
    const onLost = () => reject(lost.reason);
    lost.addEventListener('abort', onLost, { once: true });
    start((error, value) => {
      lost.removeEventListener('abort', onLost);
      if (error) reject(error);
      else resolve(value);
    });
  });
}

/** SFTP status 2 (no such file), as ssh2 reports it. */
export function isMissing(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 2;
}

/** The attributes of `remote` (following links), or null when it does not exist. */
export async function statOrNull(channel: Channel, remote: string): Promise<Stats | null> {
  return call<Stats>(channel, (done) => channel.sftp.stat(remote, done)).catch((error) => {
    if (isMissing(error)) return null;
    throw error;
  });
}

/**
 * mkdir -p that tolerates a concurrent put creating the same directory: a failed mkdir is
 * fine when the directory exists afterwards.
 */
export async function ensureDirectory(channel: Channel, dir: string): Promise<void> {
  if ((await statOrNull(channel, dir))?.isDirectory()) return;
  const parent = path.dirname(dir);
  if (parent !== dir) await ensureDirectory(channel, parent);
  try {
    await call(channel, (done) => channel.sftp.mkdir(dir, done));
  } catch (error) {
    if (!(await statOrNull(channel, dir))?.isDirectory()) throw error;
  }
}

/** Every entry of a directory (ssh2 pages through READDIR itself when given a path). */
export async function readDirectory(channel: Channel, dir: string): Promise<{ name: string; attrs: Stats }[]> {
  const entries = await call<{ filename: string; attrs: Stats }[]>(channel, (done) => channel.sftp.readdir(dir, done));
  return entries.map((entry) => ({ name: entry.filename, attrs: entry.attrs }));
}

/**
 * fsync@openssh.com makes the temporary durable before it takes the final name. ssh2 throws
 * synchronously when the server does not offer the extension: such a server gets no fsync.
 */
export async function fsyncIfOffered(channel: Channel, handle: Buffer): Promise<void> {
  let finish: (error?: Error | null) => void = () => {};
  const done = call(channel, (callback) => {
    finish = callback as (error?: Error | null) => void;
  });
  try {
    channel.sftp.ext_openssh_fsync(handle, (error) => finish(error));
  } catch {
    // Called outside the promise on purpose: this throw means "not offered", not "failed".
    finish();
    return;
  }
  await done;
}
