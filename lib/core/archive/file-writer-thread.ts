import { Worker } from 'node:worker_threads';
import { AppError } from '../errors';
import { DESCRIBE_ERROR_SOURCE, type DescribedError, errorFromThread } from '../util/thread-error';

/** What a file gets once its data is written. */
export interface FileMeta {
  mode: number;
  mtimeSeconds: number;
  /** Owner to restore, or null to keep the current user's. */
  owner: { uid: number; gid: number } | null;
}

/** File data travels in buffers of this size; at most BUFFERS of them exist per writer. */
const BUFFER_BYTES = 1024 * 1024;
const BUFFERS = 3;

/**
 * Writes the files of an extraction on a worker thread, in the order they were asked for.
 * Creating and writing files was most of extract's main thread (the open() of a new file
 * alone costs 0.02–0.4 ms of kernel time here, writing 1 GiB into fresh page-cache pages
 * another 0.3–1.3 s), and the main thread is extract's bottleneck (reading, SHA-256 and
 * AES-GCM are there too). On the thread that work overlaps with them.
 *
 * `write()` copies the data into a buffer whose memory then moves to the thread (one copy,
 * as a buffer must outlive the caller's view) and comes back once written; with all buffers
 * away it waits, which bounds memory. Errors of the thread (a full disk, a name that exists)
 * come back with a later call or `finish()`; after one, nothing more is written. Whoever
 * created a writer must `finish()` or `stop()` it before touching what it writes: only then
 * is every file closed and no write in flight.
 */
export class FileWriterThread {
  private readonly worker: Worker;
  private ops: (string | number | null)[] = [];
  private current: ArrayBuffer | null = null;
  private used = 0;
  private created = 0;
  private readonly free: ArrayBuffer[] = [];
  private readonly waiting: (() => void)[] = [];
  private failure: Error | null = null;
  private stopped = false;
  private readonly exit: Promise<void>;

  constructor() {
    // No inherited flags: a loader such as tsx (--import) would cost the thread time and memory.
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    this.worker.on('message', (reply: Reply) => this.onReply(reply));
    this.worker.on('error', (error) => this.fail(new AppError('internal', `The file writing thread failed: ${error.message}`)));
    this.exit = new Promise((resolve) =>
      this.worker.once('exit', () => {
        if (!this.stopped) this.fail(new AppError('internal', 'The file writing thread stopped unexpectedly.'));
        this.stopped = true;
        resolve();
      }),
    );
  }

  /** Creates `path` (never replacing or following anything there) and makes it current. */
  open(path: string): void {
    this.ops.push('open', path);
  }

  /** Appends a copy of `data` to the current file. */
  async write(data: Uint8Array): Promise<void> {
    for (let at = 0; at < data.length; ) {
      if (!this.current || this.used === BUFFER_BYTES) {
        this.post();
        this.current = await this.acquire();
      }
      const length = Math.min(data.length - at, BUFFER_BYTES - this.used);
      new Uint8Array(this.current, this.used, length).set(data.subarray(at, at + length));
      this.ops.push('write', this.used, length);
      this.used += length;
      at += length;
    }
  }

  /** Sets the current file's owner, mode and mtime, and closes it. */
  close(meta: FileMeta): void {
    this.ops.push('close', meta.mode, meta.mtimeSeconds, meta.owner?.uid ?? null, meta.owner?.gid ?? null);
  }

  /** Hands what was asked so far to the thread (the caller has other work meanwhile). */
  flush(): void {
    this.assertHealthy();
    this.post();
  }

  /** Writes everything asked for and stops the thread; throws the first error it met. */
  async finish(): Promise<void> {
    this.flush();
    this.worker.postMessage({ stop: true });
    await this.exit;
    if (this.failure) throw this.failure;
  }

  /**
   * Stops the thread after what was already handed over, without writing more (for a failed
   * or cancelled extraction): the current file is closed, nothing stays in flight.
   */
  async stop(): Promise<void> {
    this.ops = [];
    if (!this.stopped) this.worker.postMessage({ stop: true, discard: true });
    await this.exit;
  }

  /** Sends the pending ops, with the buffer their data is in (its memory moves). */
  private post(): void {
    if (this.ops.length === 0) return;
    const memory = this.current;
    this.worker.postMessage({ ops: this.ops, memory }, memory ? [memory] : []);
    this.ops = [];
    this.current = null;
    this.used = 0;
  }

  private async acquire(): Promise<ArrayBuffer> {
    for (;;) {
      this.assertHealthy();
      const memory = this.free.pop();
      if (memory) return memory;
      if (this.created < BUFFERS) {
        this.created += 1;
        return new ArrayBuffer(BUFFER_BYTES);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private onReply(reply: Reply): void {
    if (reply.error) {
      this.failure ??= errorFromThread(reply.error);
    }
    if (reply.stopped) this.stopped = true;
    if (reply.memory) this.free.push(reply.memory);
    this.waiting.shift()?.();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const wake of this.waiting.splice(0)) wake();
  }

  private assertHealthy(): void {
    if (this.failure) throw this.failure;
  }
}

interface Reply {
  stopped?: boolean;
  memory?: ArrayBuffer;
  error?: DescribedError;
}

// The thread's whole program. Ops are flat: 'open', path | 'write', offset, length (in the
// message's buffer) | 'close', mode, mtime, uid, gid. After an error it writes nothing more,
// but still gives back every buffer. getBuiltinModule, not require: evaluated code is a
// module when the process runs with --input-type=module.
const WORKER_SOURCE = `${DESCRIBE_ERROR_SOURCE}
const { parentPort } = process.getBuiltinModule('node:worker_threads');
const fs = process.getBuiltinModule('node:fs');
const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
let fd = -1;
let failed = null;
const closeCurrent = () => {
  if (fd < 0) return;
  const open = fd;
  fd = -1;
  fs.closeSync(open);
};
const run = (ops, bytes) => {
  for (let i = 0; i < ops.length; ) {
    const op = ops[i];
    if (op === 'open') {
      fd = fs.openSync(ops[i + 1], O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
      i += 2;
    } else if (op === 'write') {
      const end = ops[i + 1] + ops[i + 2];
      for (let at = ops[i + 1]; at < end; ) at += fs.writeSync(fd, bytes, at, end - at);
      i += 3;
    } else {
      const mode = ops[i + 1], mtime = ops[i + 2], uid = ops[i + 3], gid = ops[i + 4];
      if (uid !== null) {
        try { fs.fchownSync(fd, uid, gid); } catch (error) { if (error.code !== 'EPERM') throw error; }
      }
      fs.fchmodSync(fd, mode);
      fs.futimesSync(fd, mtime, mtime);
      closeCurrent();
      i += 5;
    }
  }
};
parentPort.on('message', (m) => {
  if (m.stop) {
    if (!failed && !m.discard) {
      try { closeCurrent(); } catch (error) { failed = error; }
    }
    try { closeCurrent(); } catch {}
    parentPort.postMessage({ stopped: true, error: failed ? describeError(failed) : undefined });
    parentPort.close();
    return;
  }
  let error;
  if (!failed) {
    try { run(m.ops, m.memory ? new Uint8Array(m.memory) : null); } catch (caught) {
      failed = caught;
      error = describeError(caught);
      try { closeCurrent(); } catch {}
    }
  }
  parentPort.postMessage({ memory: m.memory, error }, m.memory ? [m.memory] : []);
});
`;
