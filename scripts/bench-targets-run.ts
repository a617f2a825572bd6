// One measurement of scripts/bench-targets.ts, run in its own process so that its peak RSS is
// its own: `node --import tsx scripts/bench-targets-run.ts '<json spec>'` prints
// {"seconds", "bytes", "peakRss"}. Connecting happens before the clock starts. Modules are
// imported where used, so that each process's peak RSS holds only what its transfer needs.
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { Agent } from 'node:https';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SFTPWrapper } from 'ssh2';
import { quietAwsSdkNodeWarning } from '../lib/core/env';
import type { StorageTarget } from '../lib/core/storage/storage-target';

export interface RunSpec {
  kind: 'local' | 's3' | 's3-https' | 'sftp';
  /** floor-signed: S3 over HTTP only, one PutObject of the bytes in memory, which the SDK signs. */
  impl: 'driver' | 'floor' | 'floor-signed';
  op: 'up' | 'down';
  /** The local file uploaded, or written by a download. */
  file: string;
  size: number;
  /** Local: the target directory. S3: the bucket. SFTP: the remote directory. */
  where: string;
  s3?: Record<string, string>;
  sftp?: Record<string, string>;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as RunSpec;
const KEY = `bench/${spec.impl}.bin`;
const MiB = 1024 * 1024;

async function driver(): Promise<StorageTarget> {
  if (spec.kind === 'local') {
    const { LocalTarget } = await import('../lib/core/storage/local-target');
    return new LocalTarget(spec.where);
  }
  if (spec.kind === 's3' || spec.kind === 's3-https') {
    const { S3Target } = await import('../lib/core/storage/s3-target');
    const s3 = spec.s3 ?? {};
    return new S3Target({
      endpoint: s3.S3_ENDPOINT,
      region: s3.S3_REGION ?? 'us-east-1',
      bucket: spec.where,
      accessKeyId: s3.S3_ACCESS_KEY_ID ?? '',
      secretAccessKey: s3.S3_SECRET_ACCESS_KEY ?? '',
      caCertificate: spec.kind === 's3-https' ? readFileSync(s3.S3_TLS_CA ?? '', 'utf8') : undefined,
    });
  }
  const { SftpTarget } = await import('../lib/core/storage/sftp-target');
  const sftp = spec.sftp ?? {};
  return new SftpTarget({
    host: sftp.SFTP_HOST ?? '127.0.0.1',
    port: Number(sftp.SFTP_PORT),
    username: sftp.SFTP_USERNAME ?? '',
    auth: { method: 'password', password: sftp.SFTP_PASSWORD ?? '' },
    remotePath: spec.where,
  });
}

async function runDriver(): Promise<() => Promise<void>> {
  const target = await driver();
  await target.stat('bench/warm-up'); // connects (SFTP)
  if (spec.op === 'up')
    return async () => {
      await target.put(KEY, reusedPieces(spec.file), { sizeHint: spec.size });
      await target.close();
    };
  return async () => {
    await pipeline(Readable.from(await target.get(KEY)), createWriteStream(spec.file));
    await target.close();
  };
}

/**
 * The file in 1 MiB pieces read into one reused buffer, as the backup engine hands a target
 * its archive (the encryptor reuses its buffers; drivers copy what they keep). A stream of
 * fresh buffers would measure V8's garbage collection of them instead: a driver that copies
 * each piece at once leaves them dead, and V8 lets hundreds of MiB of them pile up.
 */
async function* reusedPieces(file: string): AsyncGenerator<Buffer> {
  const handle = await open(file, 'r');
  const buffer = Buffer.allocUnsafe(MiB);
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, MiB, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** Plain copy through the file system, fsynced when uploading as the driver does. */
async function localFloor(): Promise<() => Promise<void>> {
  const stored = path.join(spec.where, KEY);
  await mkdir(path.dirname(stored), { recursive: true });
  const [from, to] = spec.op === 'up' ? [spec.file, stored] : [stored, spec.file];
  return async () => {
    await pipeline(createReadStream(from, { highWaterMark: MiB }), createWriteStream(to));
    if (spec.op === 'up') {
      const handle = await open(to, 'r+');
      await handle.sync();
      await handle.close();
    }
  };
}

/** One PutObject (no multipart) / one GetObject of the same bytes with the bare SDK. */
async function s3Floor(): Promise<() => Promise<void>> {
  const { GetObjectCommand, PutObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
  quietAwsSdkNodeWarning();
  const s3 = spec.s3 ?? {};
  const client = new S3Client({
    endpoint: s3.S3_ENDPOINT,
    region: s3.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.S3_ACCESS_KEY_ID ?? '', secretAccessKey: s3.S3_SECRET_ACCESS_KEY ?? '' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(spec.kind === 's3-https'
      ? { requestHandler: { httpsAgent: new Agent({ keepAlive: true, ca: readFileSync(s3.S3_TLS_CA ?? '', 'utf8') }) } }
      : {}),
  });
  const params = { Bucket: spec.where, Key: KEY };
  if (spec.impl === 'floor-signed') {
    // Read before the clock starts: the SDK hashes a body it holds and signs the hash, as
    // the driver does over plain HTTP; the server checks it.
    const body = readFileSync(spec.file);
    return async () => {
      await client.send(new PutObjectCommand({ ...params, Body: body, ContentLength: spec.size }));
    };
  }
  if (spec.op === 'up')
    return async () => {
      await client.send(
        new PutObjectCommand({ ...params, Body: createReadStream(spec.file, { highWaterMark: MiB }), ContentLength: spec.size }),
      );
    };
  return async () => {
    const response = await client.send(new GetObjectCommand(params));
    await pipeline(response.Body as Readable, createWriteStream(spec.file));
  };
}

/** ssh2's own fastPut / fastGet (64 requests of 32 KiB in flight); an upload is then fsynced. */
async function sftpFloor(): Promise<() => Promise<void>> {
  const { Client } = await import('ssh2');
  const settings = spec.sftp ?? {};
  const ssh = new Client();
  const sftp = await new Promise<SFTPWrapper>((resolve, reject) => {
    ssh.on('ready', () => ssh.sftp((error, channel) => (error ? reject(error) : resolve(channel)))).on('error', reject);
    ssh.connect({
      host: settings.SFTP_HOST,
      port: Number(settings.SFTP_PORT),
      username: settings.SFTP_USERNAME,
      password: settings.SFTP_PASSWORD,
    });
  });
  const remote = path.posix.join(spec.where, `floor.bin`);
  const done = (resolve: () => void, reject: (e: unknown) => void) => (error?: Error | null) =>
    error ? reject(error) : resolve();
  return async () => {
    await new Promise<void>((resolve, reject) =>
      spec.op === 'up'
        ? sftp.fastPut(spec.file, remote, done(resolve, reject))
        : sftp.fastGet(remote, spec.file, done(resolve, reject)),
    );
    // Uploads end on disk, as the driver's (and the local floor's) do: fastPut does not flush.
    if (spec.op === 'up') {
      const handle = await new Promise<Buffer>((resolve, reject) =>
        sftp.open(remote, 'r+', (error, h) => (error ? reject(error) : resolve(h))),
      );
      await new Promise<void>((resolve, reject) => sftp.ext_openssh_fsync(handle, done(resolve, reject)));
      await new Promise<void>((resolve, reject) => sftp.close(handle, done(resolve, reject)));
    }
    ssh.end();
  };
}

const prepare =
  spec.impl === 'driver' ? runDriver : { local: localFloor, s3: s3Floor, 's3-https': s3Floor, sftp: sftpFloor }[spec.kind];
const transfer = await prepare();
const started = performance.now();
await transfer();
const seconds = (performance.now() - started) / 1000;
// VmHWM, not resourceUsage().maxRSS: Linux carries ru_maxrss over fork and exec, so a child
// would report its parent's size whenever the parent was bigger.
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
const peakRss = hwm ? Number(hwm) * 1024 : process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify({ seconds, bytes: spec.size, peakRss }));
