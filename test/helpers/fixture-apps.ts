// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose files use ${VAR} themselves.
import { randomBytes } from 'node:crypto';
import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { StandinState } from './docker-standin';

export interface FixtureApps {
  appsDir: string;
  /** Where the `photos_db-data` named volume lives (outside the apps dir, as Docker's would). */
  namedVolumeDir: string;
  /** The docker stand-in's starting state for these apps. */
  dockerState: StandinState;
}

export interface FixtureOptions {
  /** Size of the one big file (the issue asks for 50 MiB; smaller for quick tests). */
  bigFileBytes?: number;
  /** How many small files the notes app holds (the issue asks for 10,000). */
  smallFiles?: number;
}

/**
 * Three apps as a home server has them:
 * - photos: bind mounts with nested dirs, symlinks (relative, absolute, dangling), unicode
 *   names, an empty dir, a big file, a single-file bind (config.yml), a named volume for its
 *   database and a host system path that must be skipped; a postgres image, so it is stopped.
 * - notes: many small files and a SQLite database (written to during tests); live by choice.
 * - broken: a compose file that does not parse.
 */
export function createFixtureApps(root: string, options: FixtureOptions = {}): FixtureApps {
  const appsDir = path.join(root, 'apps');
  const namedVolumeDir = path.join(root, 'docker-volumes', 'photos_db-data', '_data');
  const photos = path.join(appsDir, 'photos');
  mkdirSync(path.join(photos, 'library', '2024', 'Été à Paris'), { recursive: true });
  mkdirSync(path.join(photos, 'library', 'empty-album'), { recursive: true });
  writeFileSync(
    path.join(photos, 'docker-compose.yml'),
    [
      'services:',
      '  web:',
      '    image: ghcr.io/example/photos:${PHOTOS_VERSION:-1.0}',
      '    volumes:',
      '      - ./library:/photos',
      '      - ./config.yml:/app/config.yml:ro',
      '      - /etc/localtime:/etc/localtime:ro',
      '  db:',
      '    image: postgres:16',
      '    volumes:',
      '      - db-data:/var/lib/postgresql/data',
      '  worker:',
      '    image: ghcr.io/example/photos:${PHOTOS_VERSION:-1.0}',
      '    volumes:',
      '      - type: bind',
      '        source: ./library',
      '        target: /photos',
      'volumes:',
      '  db-data:',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(photos, '.env'), 'PHOTOS_VERSION=1.4.2\nDB_PASSWORD=fixture-only\n');
  writeFileSync(path.join(photos, 'config.yml'), 'thumbnails: true\n');
  writeFileSync(path.join(photos, 'library', '2024', 'Été à Paris', 'tour-eiffel-日本.jpg'), randomBytes(300_000));
  writeFileSync(path.join(photos, 'library', '2024', 'big-video.mp4'), randomBytes(options.bigFileBytes ?? 50 * 1024 * 1024));
  symlinkSync('2024/Été à Paris/tour-eiffel-日本.jpg', path.join(photos, 'library', 'favourite.jpg'));
  symlinkSync('/etc/hostname', path.join(photos, 'library', 'absolute-link'));
  symlinkSync('does/not/exist', path.join(photos, 'library', 'dangling-link'));
  utimesSync(path.join(photos, 'library', '2024'), new Date('2024-06-01T10:00:00.123Z'), new Date('2024-06-01T10:00:00.123Z'));
  mkdirSync(namedVolumeDir, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(namedVolumeDir, 'PG_VERSION'), '16\n');
  mkdirSync(path.join(namedVolumeDir, 'base', '1'), { recursive: true });
  writeFileSync(path.join(namedVolumeDir, 'base', '1', '1259'), randomBytes(64 * 1024));

  const notes = path.join(appsDir, 'notes');
  mkdirSync(path.join(notes, 'data', 'pages'), { recursive: true });
  writeFileSync(
    path.join(notes, 'compose.yaml'),
    ['name: notes', 'services:', '  app:', '    image: example/notes:2', '    volumes:', '      - ./data:/data', ''].join('\n'),
  );
  const count = options.smallFiles ?? 10_000;
  for (let i = 0; i < count; i += 1) {
    const dir = path.join(notes, 'data', 'pages', String(i % 100).padStart(2, '0'));
    if (i < 100) mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `page-${i}.md`), `# Page ${i}\n\n${'lorem ipsum '.repeat(i % 50)}\n`);
  }
  const db = new Database(path.join(notes, 'data', 'notes.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)');
  const insert = db.prepare('INSERT INTO note (body) VALUES (?)');
  for (let i = 0; i < 200; i += 1) insert.run(`note ${i} ${'x'.repeat(200)}`);
  db.close();

  const broken = path.join(appsDir, 'broken');
  mkdirSync(broken, { recursive: true });
  writeFileSync(path.join(broken, 'docker-compose.yml'), 'services:\n  web:\n    image: [unclosed\n');

  return {
    appsDir,
    namedVolumeDir,
    dockerState: {
      projects: {
        photos: {
          containers: [
            { Name: 'photos-web-1', Service: 'web', State: 'running' },
            { Name: 'photos-db-1', Service: 'db', State: 'running' },
            { Name: 'photos-worker-1', Service: 'worker', State: 'exited' },
          ],
        },
        notes: { containers: [{ Name: 'notes-app-1', Service: 'app', State: 'running' }] },
      },
      volumes: { 'photos_db-data': namedVolumeDir },
    },
  };
}
