import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { CreateMultipartUploadCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createS3User, createTestBucket, startRadosgw } from '@/test/helpers/services';
import { describeStorageContract } from '@/test/storage-contract';
import { quietAwsSdkNodeWarning } from '../env';
import { partSizeFor, S3Target, type S3TargetConfig } from './s3-target';
import type { PartialUpload } from './storage-target';

// Real Ceph radosgw on loopback, started by scripts/services/radosgw.sh (~20 s the first time).
let s3: Record<string, string>;

const newBucket = () => createTestBucket(s3);

function config(overrides: Partial<S3TargetConfig> = {}): S3TargetConfig {
  return {
    endpoint: s3.S3_ENDPOINT,
    region: s3.S3_REGION ?? 'us-east-1',
    bucket: 'unset',
    accessKeyId: s3.S3_ACCESS_KEY_ID ?? '',
    secretAccessKey: s3.S3_SECRET_ACCESS_KEY ?? '',
    prefix: 'cloudos',
    ...overrides,
  };
}

beforeAll(() => {
  quietAwsSdkNodeWarning(); // the bare clients below, as S3Target does
  s3 = startRadosgw();
}, 120_000);

function rawClient(): S3Client {
  return new S3Client({
    endpoint: s3.S3_ENDPOINT,
    region: s3.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.S3_ACCESS_KEY_ID ?? '', secretAccessKey: s3.S3_SECRET_ACCESS_KEY ?? '' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A fresh bucket on the test radosgw for the contract suite, over HTTP or HTTPS. */
async function contractSubject(over: 'http' | 'https') {
  s3 ??= startRadosgw();
  const bucket = await newBucket();
  const target = new S3Target(
    over === 'http'
      ? config({ bucket })
      : config({ bucket, endpoint: s3.S3_TLS_ENDPOINT, caCertificate: readFileSync(s3.S3_TLS_CA ?? '', 'utf8') }),
  );
  return {
    target,
    leftovers: async () => (await target.listOpenUploads()).map((u) => `multipart upload of ${u.key}`),
    // What a process killed mid-upload leaves: an open multipart upload with a part.
    leavePartial: async (key: string) => {
      const client = rawClient();
      const Key = `cloudos/${key}`;
      const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }));
      await client.send(new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber: 1, Body: Buffer.alloc(1024, 1) }));
      client.destroy();
    },
    cleanup: async () => {},
  };
}

describeStorageContract('S3 (radosgw)', () => contractSubject('http'));

// The same radosgw over HTTPS, as every cloud S3 is: there, payloads go unsigned (TLS protects
// them in transit), over plain HTTP each request carries its body's SHA-256 for the server.
describeStorageContract('S3 over HTTPS (radosgw)', () => contractSubject('https'));

describe('S3: how each request vouches for its body', () => {
  it('over plain HTTP every part carries its SHA-256 for the server to check; over HTTPS none is hashed', async () => {
    const MiB = 1024 * 1024;
    const data = randomBytes(20 * MiB); // three parts of 8, 8 and 4 MiB
    const partHashes = [0, 8, 16].map((at) =>
      createHash('sha256')
        .update(data.subarray(at * MiB, Math.min(data.length, (at + 8) * MiB)))
        .digest('hex'),
    );
    for (const [over, expected] of [
      ['http', partHashes],
      ['https', ['UNSIGNED-PAYLOAD', 'UNSIGNED-PAYLOAD', 'UNSIGNED-PAYLOAD']],
    ] as const) {
      const { target } = await contractSubject(over);
      const sent: { part: number; sha256: string }[] = [];
      // The target's own SDK client (private): what each UploadPart was signed with. Parts go
      // up concurrently, so they are told apart by number, not by the order they were sent.
      (target as unknown as { client: S3Client }).client.middlewareStack.add(
        (next, context) => async (args) => {
          const headers = (args.request as { headers: Record<string, string> }).headers;
          const part = (args.input as { PartNumber?: number }).PartNumber ?? 0;
          if (context.commandName === 'UploadPartCommand') sent.push({ part, sha256: headers['x-amz-content-sha256'] ?? 'none' });
          return next(args);
        },
        { step: 'finalizeRequest', name: 'testSeePayloadHeader' },
      );
      async function* pieces(): AsyncGenerator<Buffer> {
        for (let at = 0; at < data.length; at += MiB) yield data.subarray(at, at + MiB);
      }
      await target.put('vouch/object.bin', pieces(), { sizeHint: data.length });
      // radosgw refuses a part whose signed SHA-256 does not match.
      expect(sent.sort((a, b) => a.part - b.part).map((p) => p.sha256)).toEqual(expected);
      expect(sent.map((p) => p.part)).toEqual([1, 2, 3]);
      const back: Buffer[] = [];
      for await (const piece of await target.get('vouch/object.bin')) back.push(Buffer.from(piece));
      expect(Buffer.concat(back).equals(data)).toBe(true);
      await target.close();
    }
  }, 120_000);
});

describe('S3: errors a user would see', () => {
  it.each<[string, Partial<S3TargetConfig>, string, RegExp]>([
    ['a wrong secret', { secretAccessKey: 'not-the-secret' }, 'auth_failed', /secret access key is wrong/],
    ['an unknown access key', { accessKeyId: 'AKIDUNKNOWN' }, 'auth_failed', /does not know this access key id/],
    ['a missing bucket', { bucket: 'no-such-bucket-here' }, 'misconfigured', /bucket "no-such-bucket-here" does not exist/],
    [
      'a stopped server',
      { endpoint: 'http://127.0.0.1:1' },
      'unreachable',
      /Cannot reach the S3 endpoint http:\/\/127.0.0.1:1 \(ECONNREFUSED\)/,
    ],
  ])(
    '%s',
    async (_what, overrides, code, message) => {
      const bucket = overrides.bucket ?? (await newBucket());
      const target = new S3Target(config({ bucket, ...overrides }));
      const result = await target.testConnection();
      expect(result.ok).toBe(false);
      expect(result.steps[0]?.step).toBe('write');
      expect(result.steps[0]?.message).toMatch(message);
      // GET, not HEAD: a HEAD error has no body, so S3 cannot say which credential is wrong.
      await expect(target.get('x')).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
      await target.close();
    },
    60_000,
  );

  it("another user's bucket: access denied, naming the permissions the key needs", async () => {
    const bucket = await newBucket(); // owned by the main test user
    const target = new S3Target(config({ bucket, ...createS3User('cloudos-stranger') }));
    const message = `Access denied to bucket "${bucket}". The key needs s3:PutObject, s3:GetObject, s3:ListBucket, s3:DeleteObject and s3:AbortMultipartUpload on it.`;
    expect(await target.testConnection()).toEqual({ ok: false, steps: [{ step: 'write', ok: false, message }] });
    await expect(target.get('x')).rejects.toMatchObject({ code: 'access_denied', message });
    await expect(target.stat('x')).rejects.toMatchObject({ code: 'access_denied', message });
    await expect(target.list('').next()).rejects.toMatchObject({ code: 'access_denied', message });
    await expect(target.delete('x')).rejects.toMatchObject({ code: 'access_denied', message });
    await target.close();
  }, 60_000);

  it('lists and aborts the multipart uploads a crash left open under its prefix, and no others', async () => {
    const bucket = await newBucket();
    const client = new S3Client({
      endpoint: s3.S3_ENDPOINT,
      region: s3.S3_REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.S3_ACCESS_KEY_ID ?? '', secretAccessKey: s3.S3_SECRET_ACCESS_KEY ?? '' },
    });
    await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'cloudos/archives/crashed.cob' }));
    await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'someone-else/file' }));
    client.destroy();
    const target = new S3Target(config({ bucket }));
    // How the cleanup pass sees and removes them (lib/core/cleanup/clean-up-target.ts decides
    // which are stale).
    const partials: PartialUpload[] = [];
    for await (const partial of target.listPartials('')) partials.push(partial);
    expect(partials.map((p) => p.key)).toEqual(['archives/crashed.cob']);
    await target.removePartial(partials[0] as PartialUpload);
    expect(await target.listOpenUploads()).toEqual([]);
    await target.close();
  });

  it('grows the part size so that 5 TiB stays under 10,000 parts', () => {
    const fiveTiB = 5 * 1024 ** 4;
    expect(partSizeFor(fiveTiB) * 10_000).toBeGreaterThanOrEqual(fiveTiB);
    expect(partSizeFor(100 * 1024 * 1024)).toBe(8 * 1024 * 1024);
  });
});

describe('S3: a server that accepts connections and never answers', () => {
  it('fails with "cannot reach" after the idle timeout instead of hanging', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket)); // reads nothing, answers nothing
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const target = new S3Target(config({ endpoint: `http://127.0.0.1:${port}`, timeouts: { connectMs: 1000, idleMs: 1000 } }));
    try {
      const started = Date.now();
      await expect(target.stat('x')).rejects.toMatchObject({
        code: 'unreachable',
        message: expect.stringContaining(`Cannot reach the S3 endpoint http://127.0.0.1:${port}`),
      });
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      await target.close();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  }, 30_000);
});
