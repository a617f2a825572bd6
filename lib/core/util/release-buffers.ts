/**
 * Asks V8 for a young-generation collection when the process was started with --expose-gc
 * (the CLI launcher and `npm start` do that). Streaming allocates a few fresh 1 MiB buffers
 * per chunk (cipher and zstd outputs) that die at once, but V8 frees such external memory
 * only after tens of MiB have piled up; a minor collection every few chunks keeps the peak
 * near the working set. A no-op elsewhere.
 */
const gc = (globalThis as { gc?: (options: { type: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void }).gc;

export function releaseDeadBuffers(): void {
  gc?.({ type: 'minor' });
}
