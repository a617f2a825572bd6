// Benchmark of the storage drivers (a script, not a test).
//   npm run bench:targets -- [--size 512M] [--runs 3] [--dir /path/with/space] [--only local,s3,s3-https,sftp] [--keep]
// Pushes one file of generated, incompressible bytes through each driver (local directory,
// S3 on the test radosgw over HTTP and over HTTPS, SFTP on the test sshd; scripts/services
// starts them) up and down,
// next to a floor measured in the same run on the same bytes: local = a plain stream copy
// (fsynced when uploading, as the driver does), S3 = one bare-SDK PutObject / GetObject
// (over plain HTTP, uploads: one PutObject whose SHA-256 the SDK signs, as the driver signs
// its parts there), SFTP = ssh2's fastPut / fastGet (an upload then fsynced, as the driver's). Each measurement runs in its own process (for its peak
// RSS; scripts/bench-targets-run.ts) and every download is checked against the source.
// Floor and driver alternate, --runs times each; the best rate of each is reported (the
// machine is shared and noisy: the best run is the one least disturbed) with the highest
// peak RSS seen.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DeleteBucketCommand, DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { quietAwsSdkNodeWarning } from '../lib/core/env';
import { collectRadosgwGarbage, createRemoteDir, createTestBucket, startRadosgw, startSshd } from '../test/helpers/services';
import type { RunSpec } from './bench-targets-run';
import { pipelineEnv } from './pipeline-env.mjs';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '512M' },
    dir: { type: 'string' },
    only: { type: 'string', default: 'local,s3,s3-https,sftp' },
    runs: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});
const UNITS: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 };
const match = /^(\d+(?:\.\d+)?)([KMG])?$/i.exec(values.size ?? '512M');
if (!match) throw new Error('--size like 512M or 2G');
const size = Math.round(Number(match[1]) * (UNITS[(match[2] ?? '').toUpperCase()] ?? 1));
const kinds = (values.only ?? '').split(',') as RunSpec['kind'][];
const runs = Math.max(1, Number(values.runs));
const work = mkdtempSync(path.join(values.dir ?? tmpdir(), 'cloudos-bench-targets-'));
const source = path.join(work, 'source.bin');
const MB = 1e6;

function generate(): string {
  const hash = createHash('sha256');
  const fd = openSync(source, 'w');
  const block = randomBytes(16 * 1024 * 1024);
  for (let done = 0, i = 0; done < size; i += 1) {
    const piece = block.subarray(0, Math.min(block.length, size - done));
    piece.writeUInt32BE(i, 0); // no two blocks alike
    writeSync(fd, piece);
    hash.update(piece);
    done += piece.length;
  }
  closeSync(fd);
  return hash.digest('hex');
}

// Streamed: a big parent would also inflate what its children report (see bench-targets-run.ts).
async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(piece);
  return hash.digest('hex');
}

interface Result {
  seconds: number;
  bytes: number;
  peakRss: number;
}

function measure(spec: RunSpec): Result {
  // Started as the product's processes are (the CLI launcher, the worker): drivers ask V8 for
  // minor collections of dead buffers (lib/core/util/release-buffers.ts), and glibc keeps
  // few arenas. Floors and drivers alike.
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', path.resolve('scripts/bench-targets-run.ts'), JSON.stringify(spec)],
    { encoding: 'utf8', env: { ...pipelineEnv(), ...process.env } },
  );
  if (child.status !== 0) throw new Error(`${spec.kind} ${spec.impl} ${spec.op} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout) as Result;
}

const rate = (r: Result) => r.bytes / MB / r.seconds;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0).padStart(4)} MiB`;

async function benchKind(kind: RunSpec['kind'], digest: string): Promise<void> {
  const radosgw = kind === 's3' || kind === 's3-https' ? startRadosgw() : undefined;
  // Over HTTPS: the same radosgw and bucket API on its TLS port (a self-signed certificate).
  const s3 = radosgw && kind === 's3-https' ? { ...radosgw, S3_ENDPOINT: radosgw.S3_TLS_ENDPOINT ?? '' } : radosgw;
  const sftp = kind === 'sftp' ? startSshd() : undefined;
  const where =
    kind === 'local'
      ? path.join(work, 'target')
      : s3
        ? await createTestBucket(radosgw ?? s3, 'bench')
        : createRemoteDir(sftp ?? {}, 'bench');
  if (kind === 'local') mkdirSync(where, { recursive: true });
  const results: Record<string, Result> = {};
  const keep = (name: string, result: Result) => {
    const best = results[name];
    results[name] = {
      ...(best && best.seconds < result.seconds ? best : result),
      peakRss: Math.max(best?.peakRss ?? 0, result.peakRss),
    };
  };
  try {
    // Run by run, each removing what it stored: the test radosgw keeps its data in memory
    // (4 GiB) and overwritten or deleted objects only after garbage collection.
    for (let run = 0; run < runs; run += 1) {
      for (const op of ['up', 'down'] as const) {
        // Over plain HTTP the driver signs each part's SHA-256 (docs/ARCHITECTURE.md): its
        // floor is one PutObject the SDK signs; the unsigned streamed one is shown beside it.
        const impls =
          kind === 's3' && op === 'up' ? (['floor', 'floor-signed', 'driver'] as const) : (['floor', 'driver'] as const);
        for (const impl of impls) {
          const file = op === 'up' ? source : path.join(work, `down-${impl}.bin`);
          keep(`${impl} ${op}`, measure({ kind, impl, op, file, size, where, s3, sftp }));
          if (op === 'down') {
            if ((await sha256File(file)) !== digest) throw new Error(`${kind} ${impl} download differs from the source`);
            rmSync(file);
          }
        }
      }
      await removeStored(where, radosgw);
    }
  } finally {
    await removeStored(where, radosgw, true);
  }
  for (const op of ['up', 'down'] as const) {
    const driver = results[`driver ${op}`] as Result;
    const streamed = results[`floor ${op}`] as Result;
    // Over plain HTTP the driver's floor is the signed one: both send each byte's SHA-256
    // and radosgw checks it (docs/ARCHITECTURE.md, "S3 payload signing").
    const signed = results[`floor-signed ${op}`];
    const floor = signed ?? streamed;
    console.log(
      `${`${kind} ${op === 'up' ? 'upload' : 'download'}`.padEnd(15)} driver ${rate(driver).toFixed(0).padStart(5)} MB/s ${mib(driver.peakRss)}  floor ${rate(floor).toFixed(0).padStart(5)} MB/s ${mib(floor.peakRss)}  ratio ${((rate(driver) / rate(floor)) * 100).toFixed(0).padStart(3)} %`,
    );
    if (signed)
      console.log(
        `${''.padEnd(15)} (floor: one PutObject whose SHA-256 the SDK signs; unsigned, streamed: ${rate(streamed).toFixed(0)} MB/s ${mib(streamed.peakRss)}, driver ratio to it ${((rate(driver) / rate(streamed)) * 100).toFixed(0)} %)`,
      );
  }
}

async function removeStored(where: string, s3?: Record<string, string>, last = false): Promise<void> {
  if (!s3) {
    if (last) rmSync(where, { recursive: true, force: true }); // overwriting files frees the old ones
    return;
  }
  quietAwsSdkNodeWarning(); // as S3Target does: our SDK version is pinned
  const client = new S3Client({
    endpoint: s3.S3_ENDPOINT,
    region: s3.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.S3_ACCESS_KEY_ID ?? '', secretAccessKey: s3.S3_SECRET_ACCESS_KEY ?? '' },
  });
  for (const key of ['bench/floor.bin', 'bench/floor-signed.bin', 'bench/driver.bin'])
    await client.send(new DeleteObjectCommand({ Bucket: where, Key: key }));
  if (last) await client.send(new DeleteBucketCommand({ Bucket: where }));
  client.destroy();
  collectRadosgwGarbage();
}

console.log(`generating ${(size / MB).toFixed(0)} MB of incompressible data in ${work} …`);
const digest = generate();
console.log(
  `${process.arch}, Node ${process.version}; best of ${runs} runs; MB/s = 10^6 bytes per second; peak RSS of the process doing the transfer`,
);
try {
  for (const kind of kinds) await benchKind(kind, digest);
} finally {
  if (!values.keep) rmSync(work, { recursive: true, force: true });
}
