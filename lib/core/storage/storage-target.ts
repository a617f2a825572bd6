/** One object as a listing returns it. */
export interface StoredObject {
  key: string;
  size: number;
  modifiedAt: Date;
}

export interface PutOptions {
  signal?: AbortSignal;
  /** Expected size, when known (lets S3 choose a part size); never trusted for correctness. */
  sizeHint?: number;
}

/**
 * A body that can also write itself into an open file, appending (the archive writer: its
 * hashing thread then writes each frame, which spares the thread that compresses and seals).
 * A driver that writes a local file may call `writeToFile` instead of iterating; it resolves
 * once every byte is written, and `onWritten` hears of each piece as it is handed over. Like
 * iterating, it may be done once.
 */
export interface FileWritableBody extends AsyncIterable<Uint8Array> {
  writeToFile(fd: number, onWritten: (bytes: number) => void): Promise<void>;
}

export function canWriteToFile(body: AsyncIterable<Uint8Array>): body is FileWritableBody {
  return typeof (body as Partial<FileWritableBody>).writeToFile === 'function';
}

export interface GetOptions {
  signal?: AbortSignal;
  /** Byte range, both ends inclusive (as HTTP ranges); `end` defaults to the last byte. */
  range?: { start: number; end?: number };
}

/**
 * What a `put` that has not finished (still running, or cut off by a crash) has stored so
 * far: a temporary file, an open multipart upload. Never readable as an object.
 */
export interface PartialUpload {
  /** The key the put was writing. */
  key: string;
  /** Tells this partial apart from others of the same key (a temporary's name, an upload id). */
  id: string;
  /** When it was last written to (S3: its newest part, or when it began): a running put keeps this recent. */
  lastWrittenAt: Date;
}

export interface ConnectionStep {
  step: 'write' | 'read' | 'list' | 'delete';
  ok: boolean;
  /** What failed and how to fix it, when `ok` is false. */
  message?: string;
}

export interface ConnectionTest {
  ok: boolean;
  steps: ConnectionStep[];
}

/**
 * Where backups are stored: a local directory, an S3 bucket, an SFTP server. Keys are
 * relative paths of safe segments (see `assertValidKey`); drivers map them onto their own
 * namespace (a directory, a bucket prefix, a remote path). Every method fails with an
 * AppError whose code says what went wrong — access_denied, auth_failed, not_found,
 * unreachable, no_space, misconfigured — and whose message says how to fix it.
 *
 * Contract (checked by test/storage-contract.ts against every driver):
 * - `put` is atomic: until it resolves, readers see either nothing or the previous object,
 *   never a partial one; when it rejects (error or abort), nothing new is visible and no
 *   temporary data is left behind (for S3: no open multipart upload). It consumes `body`
 *   once and never replays it. A piece of `body` is valid only until the next one is asked
 *   for (producers reuse their buffers): a driver that keeps a piece longer copies it.
 * - `get` streams the object (or the range), failing with not_found for a missing key.
 * - `stat` returns null for a missing key.
 * - `list` yields every object under the prefix, in key order, however many there are
 *   (drivers page internally); never temporary or partial objects.
 * - `delete` is idempotent: deleting a missing key succeeds.
 * - `testConnection` writes, reads back, lists and deletes a probe object and reports each
 *   step; it does not throw for a failed step.
 * - `discardPartial` removes what an interrupted `put` of `key` may have left when its process
 *   died (temporary files, open multipart uploads); the complete object, if any, stays.
 * - `listPartials` yields every partial upload under the prefix — of puts still running as
 *   well as of dead ones (it cannot tell them apart; `lastWrittenAt` helps the caller) — in
 *   no particular order. `removePartial` removes exactly that one and is idempotent; complete
 *   objects are never touched.
 * - `close` releases connections; the target is not used afterwards.
 */
export interface StorageTarget {
  readonly kind: 'local' | 's3' | 'sftp';
  put(key: string, body: AsyncIterable<Uint8Array>, options?: PutOptions): Promise<{ bytes: number }>;
  get(key: string, options?: GetOptions): Promise<AsyncIterable<Uint8Array>>;
  stat(key: string): Promise<StoredObject | null>;
  list(prefix: string): AsyncIterable<StoredObject>;
  delete(key: string): Promise<void>;
  discardPartial(key: string): Promise<void>;
  listPartials(prefix: string): AsyncIterable<PartialUpload>;
  removePartial(partial: PartialUpload): Promise<void>;
  testConnection(): Promise<ConnectionTest>;
  close(): Promise<void>;
}
