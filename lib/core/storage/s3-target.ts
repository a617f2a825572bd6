import { Agent } from 'node:https';
import type { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  ListPartsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { quietAwsSdkNodeWarning } from '../env';
import { AppError } from '../errors';
import { assertValidKey, assertValidPrefix } from './object-keys';
import { translateS3Error } from './s3-errors';
import { SourceError, uploadStream } from './s3-multipart';
import type { GetOptions, PartialUpload, PutOptions, StorageTarget, StoredObject } from './storage-target';
import { testTargetConnection } from './test-connection';

export interface S3TargetConfig {
  /** Empty for AWS; the URL of MinIO, Wasabi, B2, R2, Ceph… otherwise. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Folder inside the bucket, e.g. "cloudos/"; empty for the bucket's root. */
  prefix?: string;
  /**
   * PEM certificate(s) to trust for an HTTPS endpoint with a self-signed certificate or a
   * private CA (a self-hosted MinIO or Ceph), besides Node's public CAs. Set in the target's
   * form or with `--ca-certificate-file`.
   */
  caCertificate?: string;
  /** How long a connection may take, and a request may stay silent (tests shorten them). */
  timeouts?: { connectMs: number; idleMs: number };
}

// A server that accepts a connection and then never answers (a full Ceph blocks every write)
// must fail the backup with a reason, not hang it forever.
const DEFAULT_TIMEOUTS = { connectMs: 10_000, idleMs: 120_000 };

const MiB = 1024 * 1024;
const MIN_PART = 8 * MiB;
const MAX_PARTS = 10_000;
/** Parts uploading at once: memory is about (queue + 1) × part size. */
const PARALLEL_PARTS = 2;

/** A part size that keeps an object of `size` bytes under S3's 10,000-part limit. */
export function partSizeFor(size: number | undefined): number {
  if (!size) return 16 * MiB; // unknown size: up to 160 GB; the backup engine passes a hint
  const needed = Math.ceil(size / (MAX_PARTS - 500)); // some headroom if the hint is low
  return Math.max(MIN_PART, Math.ceil(needed / MiB) * MiB);
}

/**
 * An S3-compatible bucket (AWS, MinIO, Wasabi, Backblaze B2, Cloudflare R2, Ceph). Uploads
 * stream through multipart uploads that are aborted on any failure or cancel, so nothing
 * partial is ever visible.
 */
export class S3Target implements StorageTarget {
  readonly kind = 's3' as const;
  private readonly client: S3Client;
  private readonly prefix: string;
  private readonly where: { endpoint: string; bucket: string };

  constructor(private readonly config: S3TargetConfig) {
    quietAwsSdkNodeWarning();
    this.prefix = config.prefix ? `${config.prefix.replace(/^\/+|\/+$/g, '')}/` : '';
    this.where = { endpoint: config.endpoint || `AWS S3 (${config.region})`, bucket: config.bucket };
    this.client = new S3Client({
      endpoint: config.endpoint || undefined,
      region: config.region,
      forcePathStyle: Boolean(config.endpoint), // custom endpoints rarely have per-bucket DNS
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      // Without these the SDK adds checksums that radosgw and others reject for streams (411).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      requestHandler: {
        connectionTimeout: (config.timeouts ?? DEFAULT_TIMEOUTS).connectMs,
        socketTimeout: (config.timeouts ?? DEFAULT_TIMEOUTS).idleMs,
        // Added to the public CAs Node trusts, not instead of them (Node's `ca` replaces the
        // list): a certificate pasted for a server that a public CA signs changes nothing.
        ...(config.caCertificate
          ? { httpsAgent: new Agent({ keepAlive: true, ca: [...rootCertificates, config.caCertificate] }) }
          : {}),
      },
    });
  }

  private objectKey(key: string): string {
    assertValidKey(key);
    return `${this.prefix}${key}`;
  }

  private fail(error: unknown, key?: string): AppError {
    return error instanceof AppError ? error : translateS3Error(error, { ...this.where, key });
  }

  async put(key: string, body: AsyncIterable<Uint8Array>, options: PutOptions = {}): Promise<{ bytes: number }> {
    const signal = options.signal;
    const target = { Bucket: this.config.bucket, Key: this.objectKey(key) };
    try {
      if (signal?.aborted) throw new SourceError(signal.reason);
      const bytes = await uploadStream(this.client, target, body, {
        // AWS itself (no endpoint) is always HTTPS.
        payload: !this.config.endpoint || /^https:/i.test(this.config.endpoint) ? 'unsigned' : 'signed',
        partSize: partSizeFor(options.sizeHint),
        parallelParts: PARALLEL_PARTS,
        signal,
      });
      if (signal?.aborted) {
        // Finished just as we were cancelled: the object exists, so take it back.
        await this.delete(key).catch(() => {});
        throw new SourceError(signal.reason);
      }
      return { bytes };
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? new AppError('cancelled', 'Cancelled.');
      if (error instanceof SourceError) throw error.reason;
      throw this.fail(error, key);
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    const range = options.range ? `bytes=${options.range.start}-${options.range.end ?? ''}` : undefined;
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key), Range: range }),
        {
          abortSignal: options.signal,
        },
      );
      return response.Body as Readable;
    } catch (error) {
      throw this.fail(error, key);
    }
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) }));
      return { key, size: head.ContentLength ?? 0, modifiedAt: head.LastModified ?? new Date(0) };
    } catch (error) {
      const failure = this.fail(error, key);
      if (failure.code === 'not_found' && (error as { name?: string }).name !== 'NoSuchBucket') return null;
      throw failure;
    }
  }

  async *list(prefix: string): AsyncGenerator<StoredObject> {
    assertValidPrefix(prefix);
    let token: string | undefined;
    do {
      let page: ListObjectsV2CommandOutput;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.config.bucket, Prefix: `${this.prefix}${prefix}`, ContinuationToken: token }),
        );
      } catch (error) {
        throw this.fail(error);
      }
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        yield {
          key: object.Key.slice(this.prefix.length),
          size: object.Size ?? 0,
          modifiedAt: object.LastModified ?? new Date(0),
        };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) }));
    } catch (error) {
      const failure = this.fail(error, key);
      if (failure.code !== 'not_found' || (error as { name?: string }).name === 'NoSuchBucket') throw failure;
    }
  }

  /** Multipart uploads still open under our prefix (+ `under`): running, or interrupted by a crash. */
  async listOpenUploads(under = ''): Promise<{ key: string; uploadId: string; initiated?: Date }[]> {
    const uploads: { key: string; uploadId: string; initiated?: Date }[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const page = await this.client
        .send(
          new ListMultipartUploadsCommand({
            Bucket: this.config.bucket,
            Prefix: `${this.prefix}${under}`,
            KeyMarker: keyMarker,
            UploadIdMarker: uploadIdMarker,
          }),
        )
        .catch((error) => {
          throw this.fail(error);
        });
      for (const upload of page.Uploads ?? []) {
        if (upload.Key && upload.UploadId)
          uploads.push({ key: upload.Key.slice(this.prefix.length), uploadId: upload.UploadId, initiated: upload.Initiated });
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
    } while (keyMarker);
    return uploads;
  }

  async *listPartials(prefix: string): AsyncGenerator<PartialUpload> {
    assertValidPrefix(prefix);
    for (const upload of await this.listOpenUploads(prefix)) {
      yield {
        key: upload.key,
        id: upload.uploadId,
        lastWrittenAt: (await this.newestPartAt(upload.key, upload.uploadId)) ?? upload.initiated ?? new Date(0),
      };
    }
  }

  /** When the newest part of an open upload arrived (a running upload adds one every few seconds). */
  private async newestPartAt(key: string, uploadId: string): Promise<Date | null> {
    let newest: Date | null = null;
    let marker: string | undefined;
    do {
      const page = await this.client
        .send(
          new ListPartsCommand({
            Bucket: this.config.bucket,
            Key: this.objectKey(key),
            UploadId: uploadId,
            PartNumberMarker: marker,
          }),
        )
        .catch((error) => {
          // Completed or aborted since it was listed (radosgw also says NoSuchKey while the
          // first part is still on its way): no parts to date it by.
          if (['NoSuchUpload', 'NoSuchKey'].includes((error as { name?: string }).name ?? '')) return null;
          throw this.fail(error, key);
        });
      if (!page) return newest;
      for (const part of page.Parts ?? [])
        if (part.LastModified && (!newest || part.LastModified > newest)) newest = part.LastModified;
      marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
    } while (marker);
    return newest;
  }

  async removePartial(partial: PartialUpload): Promise<void> {
    await this.client
      .send(
        new AbortMultipartUploadCommand({ Bucket: this.config.bucket, Key: this.objectKey(partial.key), UploadId: partial.id }),
      )
      .catch((error) => {
        if ((error as { name?: string }).name === 'NoSuchUpload') return;
        throw this.fail(error, partial.key);
      });
  }

  /** Aborts the multipart uploads of `key` a killed `put` left open. */
  async discardPartial(key: string): Promise<void> {
    for (const upload of await this.listOpenUploads()) {
      if (upload.key !== key) continue;
      await this.client
        .send(
          new AbortMultipartUploadCommand({ Bucket: this.config.bucket, Key: `${this.prefix}${key}`, UploadId: upload.uploadId }),
        )
        .catch((error) => {
          throw this.fail(error, key);
        });
    }
  }

  testConnection() {
    return testTargetConnection(this);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
