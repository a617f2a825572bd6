import { webcrypto } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { BuildHandler, BuildHandlerArguments, MiddlewareStack } from '@smithy/types';
import { AppError } from '../errors';
import { releaseDeadBuffers } from '../util/release-buffers';

export interface StreamUploadOptions {
  /**
   * How a request vouches for its body. `signed`: the SHA-256 of the body is part of the
   * signature and the server checks it, so what it stores is what was sent — needed over
   * plain HTTP, where nothing else protects the bytes in transit. `unsigned`: over HTTPS,
   * whose TLS record MACs already do (the AWS SDKs for Java and Go default to this too); the
   * hashing then costs neither this process nor the server anything.
   */
  payload: 'signed' | 'unsigned';
  partSize: number;
  /** Parts uploading at once; memory is (parallelParts + 1) × partSize, reused. */
  parallelParts: number;
  signal?: AbortSignal;
}

/** A failure of the body itself (or a cancel), as opposed to one of the S3 requests. */
export class SourceError extends Error {
  constructor(readonly reason: unknown) {
    super('the source failed');
  }
}

/**
 * Uploads a stream as one object: a single PutObject when it fits in one part, else a
 * multipart upload whose parts are filled from the stream into a few reused buffers (one copy
 * of each byte, no garbage per part) and sent `parallelParts` at a time. A part's request can
 * be retried by the SDK, because its buffer is kept until the part is acknowledged.
 *
 * On any failure or cancel, the parts in flight are stopped and the multipart upload is
 * aborted before this rejects: nothing stays behind on the server. A failure of the body or
 * the signal is thrown as a SourceError; a request's failure as the SDK's error.
 */
export async function uploadStream(
  client: S3Client,
  target: { Bucket: string; Key: string },
  body: AsyncIterable<Uint8Array>,
  options: StreamUploadOptions,
): Promise<number> {
  const { partSize, parallelParts, signal } = options;
  const vouchFor = options.payload === 'signed' ? payloadSha256 : async () => 'UNSIGNED-PAYLOAD';
  const requests = new AbortController();
  const free: Buffer[] = [];
  const inFlight = new Set<Promise<void>>();
  const etags: { PartNumber: number; ETag: string }[] = [];
  let uploadId: string | undefined;
  let requestError: unknown = null;
  let bytes = 0;

  const sendPart = (buffer: Buffer, length: number, partNumber: number) => {
    const body = buffer.subarray(0, length);
    const part = withPayloadHeader(
      new UploadPartCommand({ ...target, UploadId: uploadId, PartNumber: partNumber, Body: body, ContentLength: length }),
      vouchFor(body),
    )
      .then((command) => client.send(command, { abortSignal: requests.signal }))
      .then((answer) => {
        etags.push({ PartNumber: partNumber, ETag: answer.ETag ?? '' });
        free.push(buffer);
      })
      .catch((error: unknown) => {
        requestError ??= error;
        requests.abort(); // the others are of no use now
      })
      .finally(() => inFlight.delete(part));
    inFlight.add(part);
  };
  const settle = async () => {
    while (inFlight.size > 0) await Promise.race(inFlight);
  };

  let buffer: Buffer = Buffer.allocUnsafe(partSize);
  let filled = 0;
  let partNumber = 0;
  try {
    for await (const piece of cancellable(body, signal)) {
      bytes += piece.length;
      for (let offset = 0; offset < piece.length; ) {
        const count = Math.min(partSize - filled, piece.length - offset);
        buffer.set(piece.subarray(offset, offset + count), filled);
        filled += count;
        offset += count;
        if (filled < partSize) continue;
        if (requestError) throw requestError;
        uploadId ??= (await client.send(new CreateMultipartUploadCommand(target), { abortSignal: requests.signal })).UploadId;
        partNumber += 1;
        sendPart(buffer, filled, partNumber);
        // The body's pieces die here once copied; V8 would let them pile up (see the helper).
        releaseDeadBuffers();
        while (inFlight.size >= parallelParts && !requestError) await Promise.race(inFlight);
        if (requestError) throw requestError;
        buffer = free.pop() ?? Buffer.allocUnsafe(partSize);
        filled = 0;
      }
    }
    if (uploadId === undefined) {
      // It all fit in one part: one plain request, nothing to assemble or to abort.
      const whole = buffer.subarray(0, filled);
      const put = await withPayloadHeader(
        new PutObjectCommand({ ...target, Body: whole, ContentLength: filled }),
        vouchFor(whole),
      );
      await client.send(put, { abortSignal: requests.signal });
      return bytes;
    }
    if (filled > 0) sendPart(buffer, filled, ++partNumber);
    await settle();
    if (requestError) throw requestError;
    if (signal?.aborted) throw new SourceError(signal.reason ?? new AppError('cancelled', 'Cancelled.'));
    etags.sort((a, b) => a.PartNumber - b.PartNumber);
    await client.send(new CompleteMultipartUploadCommand({ ...target, UploadId: uploadId, MultipartUpload: { Parts: etags } }));
    return bytes;
  } catch (error) {
    requests.abort();
    await settle();
    if (uploadId !== undefined)
      await client.send(new AbortMultipartUploadCommand({ ...target, UploadId: uploadId })).catch(() => {});
    throw error instanceof SourceError || error === requestError || requestError === null ? error : requestError;
  }
}

/**
 * The body's pieces, ending with a SourceError as soon as the body fails or the signal aborts
 * (also while the body is still working on its next piece: that one is abandoned).
 */
async function* cancellable(body: AsyncIterable<Uint8Array>, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const cancelled = new Promise<never>((_, reject) => {
    const onAbort = () => reject(new SourceError(signal?.reason ?? new AppError('cancelled', 'Cancelled.')));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  cancelled.catch(() => {});
  const iterator = body[Symbol.asyncIterator]();
  let pending = false;
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      pending = true;
      try {
        next = await Promise.race([iterator.next(), cancelled]);
      } catch (error) {
        throw error instanceof SourceError ? error : new SourceError(error);
      }
      pending = false;
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // A source still busy with a next() would hold return() until it answers: let it go.
    if (pending) iterator.return?.()?.catch(() => {});
    else await iterator.return?.();
  }
}

/** The body's SHA-256, hashed on the thread pool by Web Crypto (the SDK would hash on this thread). */
async function payloadSha256(body: Buffer): Promise<string> {
  return Buffer.from(await webcrypto.subtle.digest('SHA-256', body)).toString('hex');
}

/**
 * Sets x-amz-content-sha256, which the SDK's signer uses as it is (it hashes the body itself
 * only when the header is missing): the body's hash or UNSIGNED-PAYLOAD.
 */
async function withPayloadHeader<C extends UploadPartCommand | PutObjectCommand>(command: C, value: Promise<string>): Promise<C> {
  const header = await value;
  const stack = command.middlewareStack as unknown as MiddlewareStack<object, object>;
  stack.add(
    (next: BuildHandler<object, object>) => (args: BuildHandlerArguments<object>) => {
      (args.request as { headers: Record<string, string> }).headers['x-amz-content-sha256'] = header;
      return next(args);
    },
    { step: 'build', name: 'cloudosPayloadHeader' },
  );
  return command;
}
