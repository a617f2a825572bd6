import { Worker } from 'node:worker_threads';
import { AppError } from '../errors';
import { DESCRIBE_ERROR_SOURCE, type DescribedError, errorFromThread } from '../util/thread-error';

/**
 * SHA-256 of a stream, computed on a worker thread. Hashing every stored byte was the largest
 * single cost on the main thread of archive create (~0.8 ms per MiB here), which in the
 * incompressible half of a backup is the bottleneck while the second core idles. The hash
 * stays sequential (the digest is the plain SHA-256 of the stream), only its thread changes.
 *
 * Large pieces travel without a copy: the caller fills a buffer from `acquire()` and hands it
 * over with `submit()`, which moves its memory to the worker (a transfer) and back once
 * hashed. (Shared memory would spare the round trip, but V8 copies into a SharedArrayBuffer
 * with relaxed atomics, ~10× slower than memcpy: measured, it cost more than the hashing.)
 *
 * With `writeTo`, the thread also writes every piece to that file descriptor once hashed, in
 * order: archive create then leaves the file's writes (page-cache copies, ~0.1–1.2 s per GiB
 * here depending on the memory the kernel finds) to the thread too. Such a stream must be
 * ended with `digest()` or `close()` (awaited) before the descriptor is closed.
 *
 * One worker serves every stream of the process (it costs ~10 MiB and ~15 ms to start): it is
 * started on first use and keeps the process alive only while a stream is open.
 */
export class OffThreadSha256 {
  private readonly worker = hashWorker();
  private readonly id: number;
  private readonly free: Buffer[] = [];
  private readonly waiting: (() => void)[] = [];
  private outstanding = 0;
  private closed = false;
  private failure: Error | null = null;
  private discarded: Promise<void> = Promise.resolve();

  /** At most `buffers` buffers of `bufferBytes` exist at once: how far hashing may lag. */
  constructor(
    readonly bufferBytes: number,
    private readonly buffers = 4,
    options: { writeTo?: number } = {},
  ) {
    this.id = this.worker.open(
      {
        returned: (memory) => this.returned(memory),
        failed: (error) => {
          this.failure ??= error;
          this.wakeAll();
        },
      },
      options.writeTo ?? null,
    );
  }

  /** A buffer of `bufferBytes` to fill (its contents are undefined), once one is free. */
  async acquire(): Promise<Buffer> {
    for (;;) {
      this.assertOpen();
      this.assertHealthy();
      const buffer = this.free.pop();
      if (buffer) return buffer;
      if (this.outstanding < this.buffers) {
        this.outstanding += 1;
        return Buffer.from(new ArrayBuffer(this.bufferBytes));
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** Hashes the first `length` bytes of a buffer from `acquire()`, which the caller gives up. */
  submit(buffer: Buffer, length: number): void {
    this.assertOpen();
    this.assertHealthy();
    this.worker.update(this.id, buffer.buffer as ArrayBuffer, length);
  }

  /** Hashes a copy of `data` (for small pieces: headers). */
  append(data: Uint8Array): void {
    this.assertOpen();
    this.assertHealthy();
    this.worker.updateCopy(this.id, new Uint8Array(data)); // a view would clone its whole buffer
  }

  /** The hex digest of everything hashed; closes the stream. */
  async digest(): Promise<string> {
    this.assertOpen();
    this.closed = true;
    this.assertHealthy();
    return this.worker.digest(this.id);
  }

  /**
   * Abandons the stream (idempotent): the worker forgets it. Resolves once the thread has
   * done so, after the pieces already handed over (it writes none after that).
   */
  close(): Promise<void> {
    if (this.closed) return this.discarded;
    this.closed = true;
    this.discarded = this.worker.discard(this.id);
    return this.discarded;
  }

  private returned(memory: ArrayBuffer): void {
    if (this.closed) return;
    this.free.push(Buffer.from(memory));
    this.waiting.shift()?.();
  }

  private wakeAll(): void {
    for (const wake of this.waiting.splice(0)) wake();
  }

  private assertOpen(): void {
    if (this.closed) throw new AppError('internal', 'This SHA-256 stream is closed.');
  }

  private assertHealthy(): void {
    this.worker.assertAlive();
    if (this.failure) throw this.failure;
  }
}

// The worker's whole program: a hash per stream; transferred memory goes back once hashed.
// getBuiltinModule, not require: evaluated code is a module when the process runs with
// --input-type=module.
// A stream that writes stops at its first write error, which goes back once; its digest is
// then refused.
const WORKER_SOURCE = `${DESCRIBE_ERROR_SOURCE}
const { parentPort } = process.getBuiltinModule('node:worker_threads');
const { createHash } = process.getBuiltinModule('node:crypto');
const { writeSync } = process.getBuiltinModule('node:fs');
const streams = new Map();
const take = (stream, id, bytes) => {
  if (!stream || stream.failed) return;
  stream.hash.update(bytes);
  if (stream.fd === null) return;
  try {
    for (let at = 0; at < bytes.length; ) at += writeSync(stream.fd, bytes, at, bytes.length - at);
  } catch (error) {
    stream.failed = true;
    parentPort.postMessage({ id, error: describeError(error) });
  }
};
parentPort.on('message', (m) => {
  if (m.op === 'open') return void streams.set(m.id, { hash: createHash('sha256'), fd: m.fd, failed: false });
  const stream = streams.get(m.id);
  if (m.op === 'update') {
    take(stream, m.id, new Uint8Array(m.memory, 0, m.length));
    parentPort.postMessage({ id: m.id, memory: m.memory }, [m.memory]);
  } else if (m.op === 'copy') {
    take(stream, m.id, m.data);
  } else if (m.op === 'digest') {
    streams.delete(m.id);
    parentPort.postMessage({ id: m.id, digest: stream && !stream.failed ? stream.hash.digest('hex') : null });
  } else if (m.op === 'discard') {
    streams.delete(m.id);
    parentPort.postMessage({ id: m.id, discarded: true });
  }
});
`;

interface StreamEvents {
  /** Memory handed over by `update` is back, hashed (and written). */
  returned: (memory: ArrayBuffer) => void;
  /** A write failed, or the worker died: whoever waits must look again (and will find it). */
  failed: (error: Error) => void;
}

interface Reply {
  id: number;
  memory?: ArrayBuffer;
  digest?: string | null;
  discarded?: boolean;
  error?: DescribedError;
}

class HashWorker {
  private readonly worker: Worker;
  private readonly streams = new Map<number, StreamEvents>();
  private readonly digests = new Map<number, { resolve: (hex: string) => void; reject: (error: Error) => void }>();
  private readonly discards = new Map<number, () => void>();
  private readonly writeErrors = new Map<number, Error>();
  private failure: Error | null = null;
  private lastId = 0;

  constructor() {
    // No inherited flags: a loader such as tsx (--import) would cost the thread time and memory.
    this.worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: 16 } });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      if (reply.memory) this.streams.get(reply.id)?.returned(reply.memory);
      if (reply.error) {
        const error = errorFromThread(reply.error);
        this.writeErrors.set(reply.id, error);
        this.streams.get(reply.id)?.failed(error);
      }
      if (reply.discarded) {
        this.discards.get(reply.id)?.();
        this.discards.delete(reply.id);
        this.writeErrors.delete(reply.id);
      }
      if (reply.digest === undefined) return;
      const pending = this.digests.get(reply.id);
      this.digests.delete(reply.id);
      const writeError = this.writeErrors.get(reply.id);
      this.writeErrors.delete(reply.id);
      if (reply.digest === null) pending?.reject(writeError ?? new AppError('internal', 'The hashing thread lost a stream.'));
      else pending?.resolve(reply.digest);
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the hashing thread exited (code ${code})`)));
  }

  assertAlive(): void {
    if (this.failure) throw this.failure;
  }

  open(events: StreamEvents, fd: number | null): number {
    this.assertAlive();
    this.lastId += 1;
    this.streams.set(this.lastId, events);
    if (this.streams.size === 1) this.worker.ref(); // a stream is open: its digest must arrive
    this.worker.postMessage({ op: 'open', id: this.lastId, fd });
    return this.lastId;
  }

  update(id: number, memory: ArrayBuffer, length: number): void {
    this.worker.postMessage({ op: 'update', id, memory, length }, [memory]);
  }

  updateCopy(id: number, data: Uint8Array): void {
    this.worker.postMessage({ op: 'copy', id, data });
  }

  digest(id: number): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    const result = new Promise<string>((resolve, reject) => this.digests.set(id, { resolve, reject }));
    this.worker.postMessage({ op: 'digest', id });
    return result.finally(() => this.forget(id));
  }

  /** Resolves once the worker dropped the stream (or died): it writes nothing for it after. */
  discard(id: number): Promise<void> {
    if (this.failure) {
      this.forget(id);
      return Promise.resolve();
    }
    const done = new Promise<void>((resolve) => this.discards.set(id, resolve));
    this.worker.postMessage({ op: 'discard', id });
    return done.finally(() => this.forget(id));
  }

  private forget(id: number): void {
    if (!this.streams.delete(id)) return;
    if (this.streams.size === 0) this.worker.unref();
  }

  private fail(error: Error): void {
    this.failure ??= new AppError('internal', `SHA-256 could not be computed: ${error.message}`);
    for (const pending of this.digests.values()) pending.reject(this.failure);
    this.digests.clear();
    for (const stream of this.streams.values()) stream.failed(this.failure);
    for (const discarded of this.discards.values()) discarded();
    this.discards.clear();
    if (sharedWorker === this) sharedWorker = null; // the next stream starts a fresh thread
  }
}

let sharedWorker: HashWorker | null = null;

function hashWorker(): HashWorker {
  sharedWorker ??= new HashWorker();
  return sharedWorker;
}
