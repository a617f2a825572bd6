/**
 * Collects incoming buffers of any size and hands out exact-length pieces, without copying
 * when a piece lies inside one buffer. Used to parse a framed stream that arrives in
 * arbitrary splits (files, S3 bodies, SFTP reads).
 */
export class ByteQueue {
  private buffers: Buffer[] = [];
  private offset = 0; // into buffers[0]
  length = 0;

  push(data: Uint8Array): void {
    if (data.length === 0) return;
    this.buffers.push(Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    this.length += data.length;
  }

  /** Removes and returns exactly `n` bytes; the caller checks `length >= n` first. */
  take(n: number): Buffer {
    if (n > this.length) throw new RangeError(`take(${n}) with only ${this.length} bytes queued`);
    this.length -= n;
    const first = this.buffers[0];
    if (first && first.length - this.offset >= n) {
      const piece = first.subarray(this.offset, this.offset + n);
      this.offset += n;
      if (this.offset === first.length) {
        this.buffers.shift();
        this.offset = 0;
      }
      return piece;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const head = this.buffers[0] as Buffer;
      const count = Math.min(n - filled, head.length - this.offset);
      head.copy(out, filled, this.offset, this.offset + count);
      filled += count;
      this.offset += count;
      if (this.offset === head.length) {
        this.buffers.shift();
        this.offset = 0;
      }
    }
    return out;
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
