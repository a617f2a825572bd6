import { randomBytes, createCipheriv, createHash } from 'node:crypto';
const chunks = Array.from({ length: 64 }, () => randomBytes(1 << 20));
const N = 512;
const rate = (label: string, s: number) => console.log(label.padEnd(30), (N * 1.048576 / ((performance.now() - s) / 1000)).toFixed(0), 'MB/s');
const key = randomBytes(32);
let s = performance.now();
for (let i = 0; i < N; i++) { const c = createCipheriv('aes-256-gcm', key, randomBytes(12)); c.update(chunks[i % 64]!); c.final(); }
rate('aes 1MiB alloc', s);
const frame = Buffer.allocUnsafe((1 << 20) + 64);
s = performance.now();
for (let i = 0; i < N; i++) { const c = createCipheriv('aes-256-gcm', key, randomBytes(12)); const src = chunks[i % 64]!; let at = 0; for (let o = 0; o < src.length; o += 65536) { at += c.update(src.subarray(o, o + 65536)).copy(frame, at); } c.final(); }
rate('aes 64KiB slices into frame', s);
s = performance.now();
for (let i = 0; i < N; i++) { const c = createCipheriv('aes-256-gcm', key, randomBytes(12)); const src = chunks[i % 64]!; let at = 0; for (let o = 0; o < src.length; o += 16384) { at += c.update(src.subarray(o, o + 16384)).copy(frame, at); } c.final(); }
rate('aes 16KiB slices into frame', s);
s = performance.now(); { const h = createHash('sha256'); for (let i = 0; i < N; i++) h.update(chunks[i % 64]!); h.digest(); } rate('sha warm-ish', s);
s = performance.now(); { const h = createHash('sha256'); for (let i = 0; i < N; i++) h.update(frame); h.digest(); } rate('sha same buffer (cache)', s);
const pool = Buffer.allocUnsafe(1 << 20);
s = performance.now(); for (let i = 0; i < N; i++) pool.set(chunks[i % 64]!); rate('copy into reused', s);
s = performance.now(); for (let i = 0; i < N; i++) Buffer.allocUnsafe(1 << 20).set(chunks[i % 64]!); rate('copy into fresh', s);
