import { type Channel, call } from './sftp-calls';

/**
 * Pipelined SFTP reads and writes over an open handle. One request at a time (what ssh2's
 * streams do) waits a round trip per chunk and reached ~17 MB/s on loopback; keeping several
 * requests in flight, as ssh2's fastPut/fastGet do, fills the connection. Sizes were measured
 * with `npm run bench:targets` (docs/BENCHMARKS.md): reads gain from bigger chunks (fewer
 * requests and turns of the generator per byte: 252 KiB × 16 ran at ~150 MB/s where 128 KiB ×
 * 32, the same 4 MiB in flight, ran at ~120), writes did not; more reads in flight ran faster
 * still but grew the peak RSS by 20-30 MiB. OpenSSH takes up to 255 KiB per request; ssh2
 * splits bigger ones for other servers. Memory stays at chunk × in-flight per transfer.
 */
export const WRITE_CHUNK = 64 * 1024;
export const WRITES_IN_FLIGHT = 32;
export const READ_CHUNK = 252 * 1024;
export const READS_IN_FLIGHT = 16;

function aborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error('Cancelled.');
}

/**
 * Writes `body` from offset 0. Each piece is copied first: ssh2 copies a write into its request
 * packet, but sends what exceeds the server's write limit later, from the caller's buffer (a
 * server without the OpenSSH limits extension allows ~34 KB), and producers reuse theirs
 * (StorageTarget contract). Resolves with the number of bytes written once every request was
 * acknowledged; rejects on the first failed request (after the others settled) or when the
 * body or the signal fails.
 */
export async function writeAll(
  channel: Channel,
  handle: Buffer,
  body: AsyncIterable<Uint8Array>,
  signal?: AbortSignal,
): Promise<number> {
  const { sftp, lost } = channel;
  let position = 0;
  let pending = 0;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const settled = (error?: Error | null) => {
    pending -= 1;
    if (error && !failure) failure = error;
    wake?.();
  };
  const onLost = () => {
    failure ??= lost.reason; // requests in flight will never be answered
    wake?.();
  };
  const waitUntil = async (done: () => boolean) => {
    while (!done()) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
  };
  lost.addEventListener('abort', onLost);
  if (lost.aborted) onLost();
  try {
    for await (const piece of body) {
      aborted(signal);
      const bytes = Buffer.from(piece);
      for (let offset = 0; offset < bytes.length; offset += WRITE_CHUNK) {
        await waitUntil(() => pending < WRITES_IN_FLIGHT || failure !== null);
        if (failure) throw failure;
        const length = Math.min(WRITE_CHUNK, bytes.length - offset);
        pending += 1;
        sftp.write(handle, bytes, offset, length, position, settled);
        position += length;
      }
    }
    aborted(signal);
  } finally {
    // Never leave requests behind: the caller closes (and deletes) what they write to.
    await waitUntil(() => pending === 0 || lost.aborted);
    lost.removeEventListener('abort', onLost);
  }
  if (failure) throw failure;
  return position;
}

/**
 * Reads bytes [start, end) in order, with up to READS_IN_FLIGHT reads outstanding. A short read
 * (the server may return less than asked) is completed before anything after it is yielded;
 * the end of the file ends the stream early.
 */
export async function* readRange(
  channel: Channel,
  handle: Buffer,
  start: number,
  end: number,
  signal?: AbortSignal,
): AsyncGenerator<Buffer> {
  const read = (position: number, length: number) =>
    call<Buffer>(channel, (done) =>
      channel.sftp.read(handle, Buffer.allocUnsafe(length), 0, length, position, (error, bytesRead, buffer) =>
        done(error, buffer?.subarray(0, bytesRead)),
      ),
    );
  const queue: { position: number; length: number; data: Promise<Buffer> }[] = [];
  let next = start;
  const fill = () => {
    while (queue.length < READS_IN_FLIGHT && next < end) {
      const length = Math.min(READ_CHUNK, end - next);
      const data = read(next, length);
      data.catch(() => {}); // observed when its turn comes; not an unhandled rejection meanwhile
      queue.push({ position: next, length, data });
      next += length;
    }
  };
  try {
    fill();
    for (let head = queue.shift(); head; head = queue.shift()) {
      aborted(signal);
      let data = await head.data;
      while (data.length > 0 && data.length < head.length) {
        const rest = await read(head.position + data.length, head.length - data.length);
        if (rest.length === 0) break;
        data = Buffer.concat([data, rest]);
      }
      if (data.length === 0) return;
      fill();
      yield data;
      if (data.length < head.length) return;
    }
  } finally {
    await Promise.allSettled(queue.map((item) => item.data));
  }
}
