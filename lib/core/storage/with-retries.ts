import { AppError, isAppError } from '../errors';
import { sleep } from '../util/sleep';
import {
  canWriteToFile,
  type FileWritableBody,
  type GetOptions,
  type PartialUpload,
  type PutOptions,
  type StorageTarget,
} from './storage-target';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 10_000 };

function isRetryable(error: unknown): boolean {
  return isAppError(error) && error.retryable;
}

/** Exponential backoff with "equal jitter": half fixed, half random. */
function delayFor(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

async function retry<T>(
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  operation: () => Promise<T>,
  mayRetry: () => boolean = () => true,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (attempt + 1 >= policy.attempts || !isRetryable(error) || !mayRetry() || signal?.aborted) throw error;
      await sleep(delayFor(attempt, policy), signal);
    }
  }
}

/** A listing is tried again only while it has produced nothing: a caller never sees an item twice. */
async function* retryListing<T>(policy: RetryPolicy, listing: () => AsyncIterable<T>): AsyncGenerator<T> {
  for (let attempt = 0; ; attempt += 1) {
    let yielded = false;
    try {
      for await (const item of listing()) {
        yielded = true;
        yield item;
      }
      return;
    } catch (error) {
      if (yielded || attempt + 1 >= policy.attempts || !isRetryable(error)) throw error;
      await sleep(delayFor(attempt, policy));
    }
  }
}

/**
 * Wraps any driver so that retryable failures (unreachable, busy, 5xx) are tried again with
 * backoff. A put is retried only while its body has not been read at all: a stream is never
 * replayed, so a put that failed midway fails (the caller restarts the whole backup). Reads
 * and listings are retried only before they produced data.
 */
export function withRetries(target: StorageTarget, policy: RetryPolicy = DEFAULT_RETRY_POLICY): StorageTarget {
  return {
    kind: target.kind,
    put(key: string, body: AsyncIterable<Uint8Array>, options?: PutOptions) {
      let started = false;
      const start = () => {
        if (started) throw new AppError('internal', 'A backup stream cannot be read twice.');
        started = true;
      };
      const watched: AsyncIterable<Uint8Array> | FileWritableBody = {
        [Symbol.asyncIterator]() {
          start();
          return body[Symbol.asyncIterator]();
        },
        // Kept when the body has it: a local target lets the body write its file itself.
        ...(canWriteToFile(body) && {
          writeToFile(fd: number, onWritten: (bytes: number) => void) {
            start();
            return body.writeToFile(fd, onWritten);
          },
        }),
      };
      return retry(
        policy,
        options?.signal,
        () => target.put(key, watched, options),
        () => !started,
      );
    },
    get: (key: string, options?: GetOptions) => retry(policy, options?.signal, () => target.get(key, options)),
    stat: (key: string) => retry(policy, undefined, () => target.stat(key)),
    delete: (key: string) => retry(policy, undefined, () => target.delete(key)),
    discardPartial: (key: string) => retry(policy, undefined, () => target.discardPartial(key)),
    removePartial: (partial: PartialUpload) => retry(policy, undefined, () => target.removePartial(partial)),
    list: (prefix: string) => retryListing(policy, () => target.list(prefix)),
    listPartials: (prefix: string) => retryListing(policy, () => target.listPartials(prefix)),
    testConnection: () => target.testConnection(),
    close: () => target.close(),
  };
}
