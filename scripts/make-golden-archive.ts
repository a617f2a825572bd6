// Makes the golden archives under test/fixtures/golden ONCE, for a format version. They are
// committed and never regenerated: every later version must open them byte-for-byte as they
// are (lib/core/archive/golden.test.ts). Run: node --import tsx scripts/make-golden-archive.ts
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lutimesSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createArchiveFile } from '../lib/core/archive/archive-file';
import { createKeyFile } from '../lib/core/crypto/key-file';
import { snapshotTree } from '../test/helpers/tree';

const OUT = path.resolve('test/fixtures/golden');
const NAME = 'v1-basic';
// Fixed, published test keys: these fixtures protect nothing.
const MASTER_KEY = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const PASSPHRASE = 'golden fixture passphrase';

if (existsSync(path.join(OUT, `${NAME}.cob`))) {
  console.error(`${NAME}.cob exists: golden archives are never regenerated.`);
  process.exit(1);
}
const work = mkdtempSync(path.join(tmpdir(), 'golden-'));
const src = path.join(work, 'src');
mkdirSync(path.join(src, 'apps', 'photos', 'volumes', 'library', 'empty-album'), { recursive: true });
writeFileSync(path.join(src, 'apps', 'photos', 'docker-compose.yml'), 'services:\n  photos:\n    image: photoprism/photoprism\n');
writeFileSync(path.join(src, 'apps', 'photos', 'volumes', 'library', 'notes — ünïcödé.txt'), 'ten years of photos\n'.repeat(700));
const noise = Buffer.alloc(10_000);
for (let i = 0; i < noise.length; i += 1) noise[i] = (i * 2654435761) >>> 24;
writeFileSync(path.join(src, 'apps', 'photos', 'volumes', 'library', 'IMG_0001.jpg'), noise);
writeFileSync(path.join(src, 'apps', 'photos', 'volumes', 'library', 'empty'), '');
writeFileSync(path.join(src, 'apps', 'photos', 'volumes', 'library', `${'long-name-'.repeat(25)}.txt`), 'long');
symlinkSync('/var/lib/photos', path.join(src, 'apps', 'photos', 'volumes', 'abs-link'));
symlinkSync('IMG_0001.jpg', path.join(src, 'apps', 'photos', 'volumes', 'library', 'latest.jpg'));
chmodSync(path.join(src, 'apps', 'photos', 'volumes', 'library', 'IMG_0001.jpg'), 0o600);
for (const [i, file] of ['docker-compose.yml', 'volumes/library/notes — ünïcödé.txt', 'volumes/library/IMG_0001.jpg'].entries()) {
  utimesSync(path.join(src, 'apps', 'photos', file), 1_700_000_000 + i, 1_700_000_000.123456 + i);
}
lutimesSync(path.join(src, 'apps', 'photos', 'volumes', 'abs-link'), 1_700_000_100, 1_700_000_100);
for (const d of [
  'apps/photos/volumes/library/empty-album',
  'apps/photos/volumes/library',
  'apps/photos/volumes',
  'apps/photos',
  'apps',
]) {
  utimesSync(path.join(src, d), 1_690_000_000, 1_690_000_000);
}

const keyFile = await createKeyFile(MASTER_KEY, PASSPHRASE);
mkdirSync(OUT, { recursive: true });
const file = path.join(OUT, `${NAME}.cob`);
const { stats } = await createArchiveFile({ sourceDir: src, outFile: file, masterKey: MASTER_KEY, keyFile, chunkSize: 4096 });
const expected = Object.fromEntries(Object.entries(snapshotTree(src)).map(([p, { uid: _u, gid: _g, ...rest }]) => [p, rest]));
writeFileSync(
  path.join(OUT, `${NAME}.json`),
  `${JSON.stringify(
    {
      passphrase: PASSPHRASE,
      masterKeyHex: MASTER_KEY.toString('hex'),
      chunkSize: 4096,
      fileSha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
      archive: stats,
      tree: expected,
    },
    null,
    2,
  )}\n`,
);
rmSync(work, { recursive: true, force: true });
console.log(`wrote ${file} (${stats.storedBytes} bytes, ${stats.chunks} chunks)`);
