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
    if (this.buffer.length - this.end < data.length) {
      const live = this.length;
      const target =
        live + data.length > this.buffer.length
          ? Buffer.allocUnsafe(Math.max(live + data.length, this.buffer.length * 2))
          : this.buffer;
      this.buffer.copy(target, 0, this.start, this.end);
      this.buffer = target;
      this.start = 0;
      this.end = live;
    }
    this.buffer.set(data, this.end);
    this.end += data.length;
  }

  /** Removes and returns exactly `n` bytes; the caller checks `length >= n` first. */
  take(n: number): Buffer {
    if (n > this.length) throw new RangeError(`take(${n}) with only ${this.length} bytes queued`);
    const view = this.buffer.subarray(this.start, this.start + n);
    this.start += n;
    return view;
  }
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
