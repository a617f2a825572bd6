/**
 * A FIFO of bytes for parsing a stream that arrives in arbitrary splits (files, S3 bodies,
 * SFTP reads). `push` copies the data in, so producers may reuse their buffers; `take`
 * returns a view that stays valid only until the next `push` — parse or copy it first. Its
 * one internal buffer grows to the largest piece parsed at once (a frame, ~1 MiB) and is
 * reused, so streaming allocates nothing per chunk.
 */
export class ByteQueue {
  private buffer = Buffer.allocUnsafe(64 * 1024);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  push(data: Uint8Array): void {
    if (data.length === 0) return;
    this.reserve(data.length);
    this.buffer.set(data, this.end);
    this.end += data.length;
  }

  /**
   * Reads from `reader` straight into the queue (no copy through a read buffer) until it
   * holds at least `n` bytes; false when the reader ended first. Like `push`, it ends the
   * validity of views taken before.
   */
  fillFrom(reader: DirectReader, n: number): boolean {
    while (this.length < n) {
      this.reserve(Math.max(n - this.length, DIRECT_READ_BYTES));
      const count = reader.readInto(this.buffer, this.end, this.buffer.length - this.end);
      if (count === 0) return false;
      this.end += count;
    }
    return true;
  }

  /** Makes room for `bytes` more after the live bytes: moves them to the front, or grows. */
  private reserve(bytes: number): void {
    if (this.buffer.length - this.end >= bytes) return;
    const live = this.length;
    const target =
      live + bytes > this.buffer.length ? Buffer.allocUnsafe(Math.max(live + bytes, this.buffer.length * 2)) : this.buffer;
    this.buffer.copy(target, 0, this.start, this.end);
    this.buffer = target;
    this.start = 0;
    this.end = live;
  }

  /** Removes and returns exactly `n` bytes; the caller checks `length >= n` first. */
  take(n: number): Buffer {
    if (n > this.length) throw new RangeError(`take(${n}) with only ${this.length} bytes queued`);
    const view = this.buffer.subarray(this.start, this.start + n);
    this.start += n;
    return view;
  }
}

/** How much a direct fill asks for at once (the queue grows to hold it). */
const DIRECT_READ_BYTES = 1024 * 1024;

/**
 * A source that reads synchronously into a buffer it is given (a file): a queue fills itself
 * from it without the copy from a read buffer. `readInto` returns 0 at the end.
 */
export interface DirectReader {
  readInto(target: Buffer, offset: number, length: number): number;
}

export function isDirectReader(source: unknown): source is DirectReader {
  return typeof (source as Partial<DirectReader> | null)?.readInto === 'function';
}

/**
 * Pulls from `source` until `queue` holds at least `n` bytes; false when the source ended
 * first. The iterator is shared between calls, so parsing can continue where it stopped.
 */
export async function fill(queue: ByteQueue, source: AsyncIterator<Uint8Array>, n: number): Promise<boolean> {
  while (queue.length < n) {
    const next = await source.next();
    if (next.done) return false;
    queue.push(next.value);
  }
  return true;
}
