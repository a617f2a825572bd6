import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path/posix';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import SftpClient from 'ssh2-sftp-client';
import { AppError } from '../errors';
import { assertValidKey, assertValidPrefix, isTemporaryName } from './object-keys';
import { translateSftpError } from './sftp-errors';
import type { GetOptions, PutOptions, StorageTarget, StoredObject } from './storage-target';
import { testTargetConnection } from './test-connection';

export interface SftpTargetConfig {
  host: string;
  port?: number;
  username: string;
  auth: { method: 'password'; password: string } | { method: 'key'; privateKey: string; passphrase?: string };
  /** Absolute directory on the server that holds the backups. */
  remotePath: string;
  /** SHA-256 fingerprint (base64) the server's host key must have; unset until first trusted. */
  hostKeySha256?: string;
}

/**
 * A directory on an SFTP server (OpenSSH). Puts write a hidden temporary and replace the final
 * name with posix-rename (atomic, OpenSSH extension). The connection is opened lazily, kept
 * alive, and re-opened once if it dropped between operations.
 */
export class SftpTarget implements StorageTarget {
  readonly kind = 'sftp' as const;
  private client: SftpClient | null = null;
  private connecting: Promise<SftpClient> | null = null;
  private readonly port: number;
  /** The host key fingerprint seen on the last connection (to pin it after a first test). */
  seenHostKeySha256: string | null = null;

  constructor(private readonly config: SftpTargetConfig) {
    this.port = config.port ?? 22;
    if (!config.remotePath.startsWith('/'))
      throw new AppError('misconfigured', `The remote path must be absolute (got "${config.remotePath}").`);
  }

  private where(p?: string) {
    return { host: this.config.host, port: this.port, path: p };
  }

  private async connection(): Promise<SftpClient> {
    if (this.client) return this.client;
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<SftpClient> {
    const client = new SftpClient('cloudos-backup');
    let hostKeyMismatch = false;
    const auth =
      this.config.auth.method === 'password'
        ? { password: this.config.auth.password }
        : { privateKey: this.config.auth.privateKey, passphrase: this.config.auth.passphrase };
    try {
      await client.connect({
        host: this.config.host,
        port: this.port,
        username: this.config.username,
        ...auth,
        readyTimeout: 15_000,
        keepaliveInterval: 10_000,
        keepaliveCountMax: 3,
        retries: 0,
        hostVerifier: (key: Buffer) => {
          this.seenHostKeySha256 = createHash('sha256').update(key).digest('base64');
          hostKeyMismatch = this.config.hostKeySha256 !== undefined && this.config.hostKeySha256 !== this.seenHostKeySha256;
          return !hostKeyMismatch;
        },
      });
    } catch (error) {
      if (hostKeyMismatch) {
        throw new AppError(
          'auth_failed',
          `The host key of ${this.config.host}:${this.port} changed (now SHA256:${this.seenHostKeySha256}). If the server was reinstalled, accept the new key; otherwise someone may be intercepting the connection.`,
        );
      }
      throw translateSftpError(error, this.where());
    }
    client.on('close', () => {
      if (this.client === client) this.client = null;
    });
    this.client = client;
    return client;
  }

  /** Runs an operation, reconnecting once when the connection dropped in between. */
  private async run<T>(operation: (client: SftpClient) => Promise<T>, target?: string): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      const client = await this.connection();
      try {
        return await operation(client);
      } catch (error) {
        const dropped =
          this.client !== client || /No SFTP connection|not connected|ECONNRESET/i.test((error as Error)?.message ?? '');
        if (dropped && attempt === 0) {
          this.client = null;
          continue;
        }
        throw error instanceof AppError ? error : translateSftpError(error, this.where(target));
      }
    }
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    return path.join(this.config.remotePath, key);
  }

  private async assertRemoteDir(client: SftpClient): Promise<void> {
    const type = await client.exists(this.config.remotePath);
    if (type !== 'd') {
      throw new AppError(
        'misconfigured',
        `The remote directory ${this.config.remotePath} does not exist on ${this.config.host}. Create it, or correct the path.`,
      );
    }
  }

  async put(key: string, body: AsyncIterable<Uint8Array>, options: PutOptions = {}): Promise<{ bytes: number }> {
    const full = this.pathOf(key);
    const dir = path.dirname(full);
    const temp = path.join(dir, `.${path.basename(full)}.tmp-${randomBytes(6).toString('hex')}`);
    let bytes = 0;
    let sourceError: unknown = null;
    async function* counted(): AsyncGenerator<Uint8Array> {
      try {
        for await (const piece of body) {
          if (options.signal?.aborted) throw options.signal.reason ?? new AppError('cancelled', 'Cancelled.');
          bytes += piece.length;
          yield piece;
        }
      } catch (error) {
        sourceError = error;
        throw error;
      }
    }
    return this.run(async (client) => {
      await this.assertRemoteDir(client);
      await ensureDirectory(client, dir).catch((error) => {
        throw translateSftpError(error, this.where(dir));
      });
      try {
        await pipeline(Readable.from(counted()), client.createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
        if (options.signal?.aborted) throw options.signal.reason ?? new AppError('cancelled', 'Cancelled.');
        await client.posixRename(temp, full);
        return { bytes };
      } catch (error) {
        await client.delete(temp, true).catch(() => {});
        if (sourceError) throw sourceError;
        if (options.signal?.aborted) throw options.signal.reason ?? new AppError('cancelled', 'Cancelled.');
        throw error instanceof AppError ? error : translateSftpError(error, this.where(dir));
      }
    }, dir);
  }

  async get(key: string, options: GetOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    const full = this.pathOf(key);
    return this.run(async (client) => {
      const type = await client.exists(full);
      if (type !== '-')
        throw new AppError('not_found', `The object ${key} is not in ${this.config.remotePath} on ${this.config.host}.`);
      const range = options.range
        ? { start: options.range.start, ...(options.range.end !== undefined ? { end: options.range.end } : {}) }
        : {};
      return client.createReadStream(full, range);
    }, full);
  }

  async stat(key: string): Promise<StoredObject | null> {
    const full = this.pathOf(key);
    return this.run(async (client) => {
      try {
        const stats = await client.stat(full);
        return stats.isFile ? { key, size: stats.size, modifiedAt: new Date(stats.modifyTime) } : null;
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    }, full);
  }

  async *list(prefix: string): AsyncGenerator<StoredObject> {
    assertValidPrefix(prefix);
    const client = await this.connection();
    await this.run((c) => this.assertRemoteDir(c));
    const base = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    yield* this.walk(client, path.join(this.config.remotePath, base), base, prefix);
  }

  // Same order as the local driver: a directory sorts as "name/", so keys come out in order.
  private async *walk(client: SftpClient, dir: string, keyPrefix: string, filter: string): AsyncGenerator<StoredObject> {
    const entries = await client.list(dir).catch((error: unknown) => {
      if (isMissing(error)) return [];
      throw translateSftpError(error, this.where(dir));
    });
    const sortable = entries
      .filter((e) => !isTemporaryName(e.name) && (e.type === 'd' || e.type === '-'))
      .map((e) => ({ entry: e, sortKey: e.type === 'd' ? `${e.name}/` : e.name }))
      .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    for (const { entry } of sortable) {
      const key = `${keyPrefix}${entry.name}`;
      if (entry.type === 'd') {
        if (`${key}/`.startsWith(filter) || filter.startsWith(`${key}/`))
          yield* this.walk(client, path.join(dir, entry.name), `${key}/`, filter);
      } else if (key.startsWith(filter)) {
        yield { key, size: entry.size, modifiedAt: new Date(entry.modifyTime) };
      }
    }
  }

  async delete(key: string): Promise<void> {
    const full = this.pathOf(key);
    await this.run((client) => client.delete(full, true), full);
  }

  /** Removes the hidden temporaries a killed `put` of `key` left beside it. */
  async discardPartial(key: string): Promise<void> {
    const full = this.pathOf(key);
    const dir = path.dirname(full);
    const prefix = `.${path.basename(full)}.tmp-`;
    await this.run(async (client) => {
      if ((await client.exists(dir)) !== 'd') return;
      for (const entry of await client.list(dir)) {
        if (entry.name.startsWith(prefix)) await client.delete(path.join(dir, entry.name), true);
      }
    }, dir);
  }

  testConnection() {
    return testTargetConnection(this);
  }

  /** Connects and logs in (checking the host key) without touching any file. */
  async verifyConnection(): Promise<void> {
    await this.connection();
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: number | string })?.code;
  return code === 2 || code === 'ENOENT';
}

/**
 * mkdir -p that tolerates a concurrent put creating the same directory: a failed mkdir is
 * fine when the directory exists afterwards.
 */
async function ensureDirectory(client: SftpClient, dir: string): Promise<void> {
  if ((await client.exists(dir)) === 'd') return;
  try {
    await client.mkdir(dir, true);
  } catch (error) {
    if ((await client.exists(dir)) !== 'd') throw error;
  }
}
