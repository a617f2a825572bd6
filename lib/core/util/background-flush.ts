import { fdatasync } from 'node:fs';

const FLUSH_EVERY_BYTES = 64 * 1024 * 1024;

/**
 * Flushes a file being written to disk while it is written, one `fdatasync` at a time on the
 * thread pool. The kernel otherwise keeps everything dirty until the final fsync, which then
 * waits for the whole file (~0.3 s per 600 MB here) with nothing else to do; flushed along the
 * way, the disk works while the CPU compresses and encrypts, and the final fsync finds only
 * the tail. Durability still comes from that final fsync: errors here are left to it.
 *
 * Call `settle()` before closing the descriptor: a flush must never outlive it (the number
 * could name another file by then).
 */
export class BackgroundFlush {
  private unflushed = 0;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly fd: number,
    private readonly everyBytes = FLUSH_EVERY_BYTES,
  ) {}

  wrote(bytes: number): void {
    this.unflushed += bytes;
    if (this.unflushed < this.everyBytes || this.inFlight) return;
    this.unflushed = 0;
    this.inFlight = new Promise<void>((resolve) => fdatasync(this.fd, () => resolve())).then(() => {
      this.inFlight = null;
    });
  }

  /** Resolves when no flush is running. */
  async settle(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }
}
