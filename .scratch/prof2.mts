import { randomBytes, createCipheriv, createHash } from 'node:crypto';
import { compress } from '@mongodb-js/zstd';
const chunks = Array.from({ length: 256 }, () => randomBytes(1 << 20));
const text = Array.from({ length: 256 }, (_, i) => Buffer.from(('line ' + i + ' some log text with words and numbers 12345\n').repeat(20000)).subarray(0, 1 << 20));
const rate = (label: string, s: number) => console.log(label, (256 * 1.048576 / ((performance.now() - s) / 1000)).toFixed(0), 'MB/s');
for (const [name, data] of [['random', chunks], ['text', text]] as const) {
  for (const par of [1, 2, 4, 8]) {
    let s = performance.now();
    const q: Promise<Buffer>[] = [];
    for (const c of data) { q.push(compress(c, 3)); if (q.length >= par) await q.shift(); }
    await Promise.all(q);
    rate(`${name} zstd3 par${par}`, s);
  }
  for (const level of [1]) {
    let s = performance.now(); const q: Promise<Buffer>[] = [];
    for (const c of data) { q.push(compress(c, level)); if (q.length >= 4) await q.shift(); }
    await Promise.all(q); rate(`${name} zstd${level} par4`, s);
  }
}
let s = performance.now();
const key = randomBytes(32);
for (let i = 0; i < 256; i++) { const c = createCipheriv('aes-256-gcm', key, randomBytes(12)); c.update(chunks[i]!); c.final(); }
rate('aes alloc', s);
s = performance.now(); const h = createHash('sha256'); for (const c of chunks) h.update(c); h.digest(); rate('sha', s);
s = performance.now(); for (const c of chunks) { Buffer.allocUnsafe(1 << 20).set(c); } rate('copy', s);
