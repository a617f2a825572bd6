import { createHash, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKeyFile, generateMasterKey, type KeyFile } from '@/lib/core/crypto/key-file';
import { AppError } from '@/lib/core/errors';
import { directReader, fromBuffers, openBytes, sealBytes } from '@/test/helpers/archive-bytes';
import { ArchiveDecryptor } from './decrypt-archive';
import { FRAME_HEADER_BYTES, HEADER_MAC_BYTES, PREAMBLE_BYTES } from './format';

// A tiny test-only chunk size makes "every bit" and "every offset" loops exhaustive and fast.
const CHUNK = 64;
let masterKey: Buffer;
let keyFile: KeyFile;
let plain: Buffer;
let stored: Buffer;
let headerEnd: number;
let frames: Buffer[];

function splitFrames(bytes: Buffer, start: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = start; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at + 1);
    out.push(bytes.subarray(at, at + FRAME_HEADER_BYTES + length));
    at += FRAME_HEADER_BYTES + length;
  }
  return out;
}

// Every check runs twice: with the archive arriving in pieces (a network body) and read
// straight into the decryptor's queue (a file).
let readDirectly = false;

/** Decrypts and returns either the plaintext or the error, plus what was released before it. */
async function attempt(bytes: Buffer, options: { passphrase?: string } = {}) {
  const decryptor = new ArchiveDecryptor(options.passphrase ? { passphrase: options.passphrase } : { masterKeys: [masterKey] });
  const released: Buffer[] = [];
  try {
    const source = readDirectly ? directReader(bytes) : fromBuffers(bytes);
    for await (const piece of decryptor.decrypt(source)) released.push(Buffer.from(piece));
    return { ok: true as const, plain: Buffer.concat(released) };
  } catch (error) {
    return { ok: false as const, error: error as AppError, released: Buffer.concat(released) };
  }
}

async function expectRejected(bytes: Buffer, code: AppError['code'] = 'corrupted') {
  const result = await attempt(bytes);
  expect(result.ok, 'a damaged archive must not open').toBe(false);
  if (!result.ok) {
    expect(result.error).toBeInstanceOf(AppError);
    expect(result.error.code).toBe(code);
    // Whatever was released before the failure is a verified prefix of the real plaintext.
    expect(plain.subarray(0, result.released.length).equals(result.released)).toBe(true);
  }
}

beforeAll(async () => {
  masterKey = generateMasterKey();
  keyFile = await createKeyFile(masterKey, 'correct horse battery', { memoryKiB: 8192, iterations: 1, parallelism: 1 });
  // Half text (compresses), half random (stored raw): both codecs appear.
  plain = Buffer.concat([Buffer.from('backup '.repeat(46)), randomBytes(CHUNK * 5 + 10)]);
  ({ stored } = await sealBytes(plain, { masterKey, keyFile, chunkSize: CHUNK }));
  headerEnd = PREAMBLE_BYTES + stored.readUInt32BE(10) + HEADER_MAC_BYTES;
  frames = splitFrames(stored, headerEnd);
});

describe('round trips', () => {
  it.each([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, CHUNK * 4, CHUNK * 4 + 1])('%i bytes, fed in odd pieces', async (size) => {
    const data = randomBytes(size);
    const { stored: bytes, stats } = await sealBytes(data, { masterKey, keyFile, chunkSize: CHUNK }, 7);
    expect(stats.chunks).toBe(Math.max(1, Math.ceil(size / CHUNK)));
    expect(stats.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    for (const piece of [1, 13, 100_000]) {
      const { plain: back, info } = await openBytes(bytes, { masterKeys: [masterKey] }, piece);
      expect(back.equals(data)).toBe(true);
      expect(info?.sha256).toBe(stats.sha256);
    }
  });

  it('opens with the passphrase alone, through the key copy in the header', async () => {
    const { plain: back } = await openBytes(stored, { passphrase: 'correct horse battery' });
    expect(back.equals(plain)).toBe(true);
  });

  it('compresses text and stores random bytes raw', async () => {
    const text = Buffer.from('photo album '.repeat(2000));
    const { stored: bytes } = await sealBytes(text, { masterKey, keyFile, chunkSize: 4096 });
    expect(bytes.length).toBeLessThan(text.length / 4);
    const noise = randomBytes(20_000);
    const { stored: raw } = await sealBytes(noise, { masterKey, keyFile, chunkSize: 4096 });
    const headerBytes = PREAMBLE_BYTES + raw.readUInt32BE(10) + HEADER_MAC_BYTES;
    expect(raw.length - headerBytes).toBe(noise.length + 5 * (FRAME_HEADER_BYTES + 1 + 16));
  });
});

describe.each([
  ['arriving in pieces', false],
  ['read directly', true],
])('tampering and damage are detected (%s)', (_, direct) => {
  beforeAll(() => {
    readDirectly = direct;
  });

  it('the fixture has several chunks, the last one final', () => {
    expect(frames.length).toBe(Math.ceil(plain.length / CHUNK));
    expect(frames.map((f) => f[0])).toEqual([...Array<number>(frames.length - 1).fill(0), 1]);
  });

  it('every flipped bit of the header', async () => {
    for (let byte = 0; byte < headerEnd; byte += 1) {
      for (let bit = 0; bit < 8; bit += 1) {
        const bad = Buffer.from(stored);
        bad[byte] = (bad[byte] ?? 0) ^ (1 << bit);
        const result = await attempt(bad);
        if (result.ok) throw new Error(`flipping bit ${bit} of header byte ${byte} went unnoticed`);
        expect(result.released.length).toBe(0);
      }
    }
  });

  it('every flipped bit of the first, a middle and the last chunk (data and tag)', async () => {
    for (const index of [0, Math.floor(frames.length / 2), frames.length - 1]) {
      const start = headerEnd + frames.slice(0, index).reduce((n, f) => n + f.length, 0);
      const frame = frames[index] as Buffer;
      for (let byte = start; byte < start + frame.length; byte += 1) {
        for (let bit = 0; bit < 8; bit += 1) {
          const bad = Buffer.from(stored);
          bad[byte] = (bad[byte] ?? 0) ^ (1 << bit);
          await expectRejected(bad);
        }
      }
    }
  });

  it('truncation at every offset', async () => {
    for (let length = 0; length < stored.length; length += 1) await expectRejected(stored.subarray(0, length));
  });

  it('a dropped, duplicated or swapped chunk', async () => {
    const header = stored.subarray(0, headerEnd);
    const rebuild = (list: Buffer[]) => Buffer.concat([header, ...list]);
    for (let i = 0; i < frames.length; i += 1) {
      await expectRejected(rebuild(frames.filter((_, j) => j !== i)));
      await expectRejected(rebuild([...frames.slice(0, i + 1), frames[i] as Buffer, ...frames.slice(i + 1)]));
    }
    for (let i = 0; i + 1 < frames.length; i += 1) {
      const swapped = [...frames];
      [swapped[i], swapped[i + 1]] = [swapped[i + 1] as Buffer, swapped[i] as Buffer];
      await expectRejected(rebuild(swapped));
    }
  });

  it('a final flag on a middle chunk, and two final chunks', async () => {
    const header = stored.subarray(0, headerEnd);
    const flagged = frames.map((f) => Buffer.from(f));
    (flagged[1] as Buffer)[0] = 1;
    await expectRejected(Buffer.concat([header, ...flagged]));
    const last = frames[frames.length - 1] as Buffer;
    await expectRejected(Buffer.concat([header, ...frames, last]));
  });

  it('trailing garbage: one byte, and a whole chunk', async () => {
    await expectRejected(Buffer.concat([stored, Buffer.of(0)]));
    await expectRejected(Buffer.concat([stored, frames[0] as Buffer]));
    const result = await attempt(Buffer.concat([stored, Buffer.of(0)]));
    expect(!result.ok && result.error.message).toMatch(/bytes after the final chunk/);
  });

  it("one archive's header spliced onto another's chunks (same master key)", async () => {
    const other = (await sealBytes(plain, { masterKey, keyFile, chunkSize: CHUNK })).stored;
    const otherHeaderEnd = PREAMBLE_BYTES + other.readUInt32BE(10) + HEADER_MAC_BYTES;
    await expectRejected(Buffer.concat([stored.subarray(0, headerEnd), other.subarray(otherHeaderEnd)]));
    await expectRejected(Buffer.concat([other.subarray(0, otherHeaderEnd), stored.subarray(headerEnd)]));
  });

  it('a wrong passphrase gives its own error, not "corrupted"', async () => {
    const result = await attempt(stored, { passphrase: 'not the passphrase' });
    expect(!result.ok && [result.error.code, result.error.message]).toEqual([
      'wrong_passphrase',
      'Wrong passphrase: it does not open this archive (it opens with the passphrase it was made with, or with a later one through its key file).',
    ]);
  });

  it('out-of-range KDF parameters in a header are refused before Argon2 runs', async () => {
    const json = JSON.parse(stored.subarray(PREAMBLE_BYTES, headerEnd - HEADER_MAC_BYTES).toString('utf8'));
    for (const [field, value] of [
      ['memoryKiB', 4 * 1024 * 1024 * 1024],
      ['memoryKiB', 1024],
      ['iterations', 1_000_000],
      ['parallelism', 0],
      ['salt', 'AAAA'],
    ] as const) {
      const crafted = { ...json, masterKey: { ...json.masterKey, kdf: { ...json.masterKey.kdf, [field]: value } } };
      const body = Buffer.from(JSON.stringify(crafted));
      const preamble = Buffer.from(stored.subarray(0, PREAMBLE_BYTES));
      preamble.writeUInt32BE(body.length, 10);
      const bytes = Buffer.concat([preamble, body, stored.subarray(headerEnd - HEADER_MAC_BYTES)]);
      const started = performance.now();
      const result = await attempt(bytes, { passphrase: 'correct horse battery' });
      expect(!result.ok && result.error.code).toBe('corrupted');
      expect(!result.ok && result.error.message).toMatch(/key derivation parameters are out of the accepted range/);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it('a file that is not an archive, or of an unknown version', async () => {
    await expectRejected(Buffer.from('PK\u0003\u0004 this is a zip file'));
    const future = Buffer.from(stored);
    future.writeUInt16BE(2, 8);
    const result = await attempt(future);
    expect(!result.ok && result.error.message).toMatch(/format version 2/);
  });
});

describe('stopping early', () => {
  it('a failure ends the source too, so it closes its file or connection at once', async () => {
    let closed = false;
    async function* tracked(bytes: Buffer): AsyncGenerator<Buffer> {
      try {
        for (let at = 0; at < bytes.length; at += 100) yield bytes.subarray(at, at + 100);
      } finally {
        closed = true;
      }
    }
    const bad = Buffer.from(stored);
    bad[bad.length - 40] = (bad[bad.length - 40] as number) ^ 1;
    const decryptor = new ArchiveDecryptor({ masterKeys: [masterKey] });
    await expect(
      (async () => {
        for await (const _ of decryptor.decrypt(tracked(bad))) {
          // reading until it fails
        }
      })(),
    ).rejects.toMatchObject({ code: 'corrupted' });
    expect(closed).toBe(true);
  });
});
