import { createHash, randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import path from 'node:path/posix';
import type { SFTPWrapper, Stats } from 'ssh2';
import SftpClient from 'ssh2-sftp-client';
import { AppError } from '../errors';
import { assertValidKey, assertValidPrefix, isTemporaryName, temporaryFor, temporaryNameFor } from './object-keys';
import { type Channel, call, ensureDirectory, fsyncIfOffered, isMissing, readDirectory, statOrNull } from './sftp-calls';
import { translateSftpError } from './sftp-errors';
import { readRange, writeAll } from './sftp-transfer';
import type { GetOptions, PartialUpload, PutOptions, StorageTarget, StoredObject } from './storage-target';
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
 * A directory on an SFTP server (OpenSSH). ssh2-sftp-client opens the connection (host key
 * check, keep-alives); every operation then runs on its ssh2 SFTP channel, which takes
 * requests concurrently and leaves no per-call listeners behind. Puts write a hidden
 * temporary with pipelined requests, fsync it (when the server offers fsync@openssh.com) and
 * give it the final name with posix-rename (atomic, OpenSSH extension). The connection is
 * opened lazily, forgotten as soon as it ends, and re-opened once when an operation finds it
 * gone.
 */
export class SftpTarget implements StorageTarget {
  readonly kind = 'sftp' as const;
  private connected: { client: SftpClient; channel: Channel; lost: AbortController } | null = null;
  private connecting: Promise<Channel> | null = null;
  /** Temporaries of puts cut off with their connection, removed once connected again. */
  private readonly orphans = new Set<string>();
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

  private async connection(): Promise<Channel> {
    if (this.connected) return this.connected.channel;
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private forget(client: SftpClient): void {
    if (this.connected?.client !== client) return;
    const { lost } = this.connected;
    this.connected = null;
    lost.abort(
      new AppError(
        'unreachable',
        `The connection to the SFTP server ${this.config.host}:${this.port} dropped during the operation.`,
        {
          retryable: true,
        },
      ),
    );
    client.end().catch(() => {});
  }

  private async connect(): Promise<Channel> {
    // ssh2-sftp-client's default callbacks print "Global end/close listener: … event raised"
    // (console.log) and "Global error listener: …" (console.error) whenever the connection
    // ends outside one of its own calls, which with our use is every time. Each means the
    // connection is gone: forget it, and the next operation reconnects.
    const client: SftpClient = new SftpClient('cloudos-backup', {
      end: () => this.forget(client),
      close: () => this.forget(client),
      error: () => this.forget(client),
    });
    let hostKeyMismatch = false;
    const auth =
      this.config.auth.method === 'password'
        ? { password: this.config.auth.password }
        : { privateKey: this.config.auth.privateKey, passphrase: this.config.auth.passphrase };
    let sftp: SFTPWrapper;
    try {
      sftp = await client.connect({
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
    // The channel ends with the connection. Its 'error' (a protocol failure) would crash the
    // process if nobody listened.
    for (const event of ['end', 'close', 'error']) sftp.on(event, () => this.forget(client));
    const lost = new AbortController();
    setMaxListeners(0, lost.signal); // every request in flight listens; each removes itself
    const channel = { sftp, lost: lost.signal };
    this.connected = { client, channel, lost };
    for (const temp of this.orphans) {
      this.orphans.delete(temp);
      await call(channel, (done) => sftp.unlink(temp, done)).catch(() => {});
    }
    return channel;
  }

  /**
   * Runs an operation, reconnecting once when the connection turned out to be gone (ended
   * while idle, a server restarted) — unless `mayRetry` says the operation already consumed
   * something it cannot replay.
   */
  private async run<T>(operation: (channel: Channel) => Promise<T>, target?: string, mayRetry = () => true): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      const channel = await this.connection();
      try {
        return await operation(channel);
      } catch (error) {
        const { lost } = channel; // aborted by forget(): see the listeners in connect()
        if (lost.aborted && attempt === 0 && mayRetry()) continue;
        if (error instanceof AppError) throw error;
        throw lost.aborted ? lost.reason : translateSftpError(error, this.where(target));
      }
    }
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    return path.join(this.config.remotePath, key);
  }

  private async assertRemoteDir(channel: Channel): Promise<void> {
    if (!(await statOrNull(channel, this.config.remotePath))?.isDirectory()) {
      throw new AppError(
        'misconfigured',
        `The remote directory ${this.config.remotePath} does not exist on ${this.config.host}. Create it, or correct the path.`,
      );
    }
  }

  async put(key: string, body: AsyncIterable<Uint8Array>, options: PutOptions = {}): Promise<{ bytes: number }> {
    const full = this.pathOf(key);
    const dir = path.dirname(full);
    const temp = path.join(dir, temporaryNameFor(path.basename(full), randomBytes(6).toString('hex')));
    let started = false;
    let sourceError: unknown = null;
    async function* watched(): AsyncGenerator<Uint8Array> {
      started = true;
      try {
        yield* body;
      } catch (error) {
        sourceError = error;
        throw error;
      }
    }
    const write = async (channel: Channel) => {
      const { sftp } = channel;
      await this.assertRemoteDir(channel);
      const handle = await ensureDirectory(channel, dir)
        .then(() => call<Buffer>(channel, (done) => sftp.open(temp, 'wx', { mode: 0o600 }, done)))
        .catch((error) => {
          throw translateSftpError(error, this.where(dir));
        });
      let open = true;
      try {
        const bytes = await writeAll(channel, handle, watched(), options.signal);
        await fsyncIfOffered(channel, handle);
        open = false;
        await call(channel, (done) => sftp.close(handle, done));
        await call(channel, (done) => sftp.ext_openssh_rename(temp, full, done));
        return { bytes };
      } catch (error) {
        if (open) await call(channel, (done) => sftp.close(handle, done)).catch(() => {});
        await call(channel, (done) => sftp.unlink(temp, done)).catch(() => {
          if (channel.lost.aborted) this.orphans.add(temp); // removed on the next connection
        });
        if (sourceError) throw sourceError;
        if (options.signal?.aborted) throw options.signal.reason ?? new AppError('cancelled', 'Cancelled.');
        throw error;
      }
    };
    return this.run(write, dir, () => !started);
  }

  async get(key: string, options: GetOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    const full = this.pathOf(key);
    return this.run(async (channel) => {
      const { sftp } = channel;
      const handle = await call<Buffer>(channel, (done) => sftp.open(full, 'r', done)).catch((error) => {
        throw isMissing(error)
          ? new AppError('not_found', `The object ${key} is not in ${this.config.remotePath} on ${this.config.host}.`)
          : error;
      });
      try {
        const stats = await call<Stats>(channel, (done) => sftp.fstat(handle, done));
        if (!stats.isFile()) throw new AppError('not_found', `${key} in ${this.config.remotePath} is not a file.`);
        const size = stats.size;
        const start = options.range?.start ?? 0;
        const end = Math.min(options.range?.end ?? size - 1, size - 1) + 1;
        if (start < 0 || start > size || (options.range && end <= start))
          throw new AppError('invalid_input', `Range ${start}-${options.range?.end ?? ''} is outside ${key} (${size} bytes).`);
        return this.stream(channel, handle, start, end, full, options.signal);
      } catch (error) {
        await call(channel, (done) => sftp.close(handle, done)).catch(() => {});
        throw error;
      }
    }, full);
  }

  private async *stream(channel: Channel, handle: Buffer, start: number, end: number, full: string, signal?: AbortSignal) {
    try {
      yield* readRange(channel, handle, start, end, signal);
    } catch (error) {
      if (signal?.aborted || error instanceof AppError) throw error;
      throw translateSftpError(error, this.where(full));
    } finally {
      await call(channel, (done) => channel.sftp.close(handle, done)).catch(() => {});
    }
  }

  async stat(key: string): Promise<StoredObject | null> {
    const full = this.pathOf(key);
    return this.run(async (channel) => {
      const stats = await statOrNull(channel, full);
      return stats?.isFile() ? { key, size: stats.size, modifiedAt: new Date(stats.mtime * 1000) } : null;
    }, full);
  }

  async *list(prefix: string): AsyncGenerator<StoredObject> {
    assertValidPrefix(prefix);
    const channel = await this.run(async (c) => {
      await this.assertRemoteDir(c);
      return c;
    });
    const base = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    yield* this.walk(channel, path.join(this.config.remotePath, base), base, prefix);
  }

  // Same order as the local driver: a directory sorts as "name/", so keys come out in order.
  private async *walk(channel: Channel, dir: string, keyPrefix: string, filter: string): AsyncGenerator<StoredObject> {
    const entries = await readDirectory(channel, dir).catch((error: unknown) => {
      if (isMissing(error)) return [];
      if (error instanceof AppError) throw error;
      throw translateSftpError(error, this.where(dir));
    });
    const sortable = entries
      .filter((e) => !isTemporaryName(e.name) && (e.attrs.isDirectory() || e.attrs.isFile()))
      .map((e) => ({ entry: e, sortKey: e.attrs.isDirectory() ? `${e.name}/` : e.name }))
      .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    for (const { entry } of sortable) {
      const key = `${keyPrefix}${entry.name}`;
      if (entry.attrs.isDirectory()) {
        if (`${key}/`.startsWith(filter) || filter.startsWith(`${key}/`))
          yield* this.walk(channel, path.join(dir, entry.name), `${key}/`, filter);
      } else if (key.startsWith(filter)) {
        yield { key, size: entry.attrs.size, modifiedAt: new Date(entry.attrs.mtime * 1000) };
      }
    }
  }

  async delete(key: string): Promise<void> {
    const full = this.pathOf(key);
    await this.run(
      (channel) =>
        call(channel, (done) => channel.sftp.unlink(full, done)).catch((error) => {
          if (!isMissing(error)) throw error;
        }),
      full,
    );
  }

  /** Removes the hidden temporaries a killed `put` of `key` left beside it. */
  async discardPartial(key: string): Promise<void> {
    const full = this.pathOf(key);
    const dir = path.dirname(full);
    const prefix = `.${path.basename(full)}.tmp-`;
    await this.run(async (channel) => {
      const entries = await readDirectory(channel, dir).catch((error: unknown) => {
        if (isMissing(error)) return [];
        throw error;
      });
      for (const entry of entries.filter((e) => e.name.startsWith(prefix))) {
        const temp = path.join(dir, entry.name);
        await call(channel, (done) => channel.sftp.unlink(temp, done)).catch((error) => {
          if (!isMissing(error)) throw error;
        });
      }
    }, dir);
  }

  async *listPartials(prefix: string): AsyncGenerator<PartialUpload> {
    assertValidPrefix(prefix);
    const channel = await this.run(async (c) => {
      await this.assertRemoteDir(c);
      return c;
    });
    yield* this.walkPartials(channel, this.config.remotePath, '', prefix);
  }

  private async *walkPartials(channel: Channel, dir: string, keyPrefix: string, filter: string): AsyncGenerator<PartialUpload> {
    const entries = await readDirectory(channel, dir).catch((error: unknown) => {
      if (isMissing(error)) return [];
      if (error instanceof AppError) throw error;
      throw translateSftpError(error, this.where(dir));
    });
    for (const entry of entries) {
      const forName = entry.attrs.isFile() ? temporaryFor(entry.name) : null;
      if (forName !== null && `${keyPrefix}${forName}`.startsWith(filter)) {
        yield { key: `${keyPrefix}${forName}`, id: entry.name, lastWrittenAt: new Date(entry.attrs.mtime * 1000) };
      } else if (entry.attrs.isDirectory() && !isTemporaryName(entry.name)) {
        const key = `${keyPrefix}${entry.name}/`;
        if (key.startsWith(filter) || filter.startsWith(key))
          yield* this.walkPartials(channel, path.join(dir, entry.name), key, filter);
      }
    }
  }

  async removePartial(partial: PartialUpload): Promise<void> {
    const full = this.pathOf(partial.key);
    // Only ever a temporary of that very key: an id from elsewhere cannot name another file.
    if (temporaryFor(partial.id) !== path.basename(full))
      throw new AppError('invalid_input', `"${partial.id}" is not a temporary of ${partial.key}.`);
    const temp = path.join(path.dirname(full), partial.id);
    await this.run(
      (channel) =>
        call(channel, (done) => channel.sftp.unlink(temp, done)).catch((error) => {
          if (!isMissing(error)) throw error;
        }),
      temp,
    );
  }

  testConnection() {
    return testTargetConnection(this);
  }

  /** Connects and logs in (checking the host key) without touching any file. */
  async verifyConnection(): Promise<void> {
    await this.connection();
  }

  async close(): Promise<void> {
    const client = this.connected?.client;
    this.connected = null;
    await client?.end().catch(() => {});
  }
}
