// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose files use ${VAR} themselves.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../errors';

export const DEMO_APP_IDS = ['photos', 'notes', 'vault'] as const;

function write(file: string, data: string | Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
}

function compose(lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

function photos(dir: string): void {
  write(
    path.join(dir, 'docker-compose.yml'),
    compose([
      '# A photo library: web app, machine-learning worker and a PostgreSQL database.',
      'services:',
      '  server:',
      '    image: ghcr.io/immich-app/immich-server:release',
      '    volumes:',
      '      - ${UPLOAD_LOCATION}:/usr/src/app/upload',
      '    env_file: .env',
      '    ports: ["2283:2283"]',
      '  database:',
      '    image: postgres:16-alpine',
      '    environment:',
      '      POSTGRES_PASSWORD: ${DB_PASSWORD}',
      '    volumes:',
      '      - ./postgres:/var/lib/postgresql/data',
    ]),
  );
  write(path.join(dir, '.env'), 'UPLOAD_LOCATION=./library\nDB_PASSWORD=demo-only-not-a-secret\n');
  // Camera files do not compress: random bytes are a fair stand-in.
  const albums = ['2023/Summer holidays', '2024/Birthday', '2024/Été à la mer', '2025/Garden'];
  albums.forEach((album, a) => {
    for (let i = 1; i <= 6; i += 1)
      write(path.join(dir, 'library', album, `IMG_${1000 + a * 10 + i}.jpg`), randomBytes(400_000 + i * 150_000));
  });
  symlinkSync('2024/Birthday/IMG_1011.jpg', path.join(dir, 'library', 'cover.jpg'));
  mkdirSync(path.join(dir, 'library', 'thumbs'), { recursive: true });
  write(path.join(dir, 'postgres', 'PG_VERSION'), '16\n');
  write(path.join(dir, 'postgres', 'base', '16384', '1259'), randomBytes(256 * 1024));
  write(path.join(dir, 'postgres', 'global', 'pg_control'), randomBytes(8192));
}

function notes(dir: string): void {
  write(
    path.join(dir, 'compose.yaml'),
    compose([
      '# A notes app keeping its notes in SQLite.',
      'services:',
      '  app:',
      '    image: ghcr.io/example/notes:2',
      '    volumes:',
      '      - ./data:/data',
    ]),
  );
  mkdirSync(path.join(dir, 'data', 'attachments'), { recursive: true });
  const db = new Database(path.join(dir, 'data', 'notes.sqlite'));
  try {
    db.exec('CREATE TABLE note (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL, updated_at TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO note (title, body, updated_at) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= 500; i += 1)
        insert.run(
          `Note ${i}`,
          `Shopping list, ideas and reminders #${i}. `.repeat(20),
          new Date(Date.UTC(2025, 0, 1 + i)).toISOString(),
        );
    })();
  } finally {
    db.close();
  }
  for (let i = 1; i <= 40; i += 1) write(path.join(dir, 'data', 'attachments', `scan-${i}.pdf`), randomBytes(20_000 + i * 1000));
}

function vault(dir: string): void {
  write(
    path.join(dir, 'docker-compose.yml'),
    compose([
      '# A password manager: everything lives in ./vw-data.',
      'services:',
      '  vaultwarden:',
      '    image: vaultwarden/server:latest',
      '    volumes:',
      '      - ./vw-data:/data',
    ]),
  );
  mkdirSync(path.join(dir, 'vw-data'), { recursive: true });
  const db = new Database(path.join(dir, 'vw-data', 'db.sqlite3'));
  try {
    db.exec('CREATE TABLE ciphers (uuid TEXT PRIMARY KEY, data BLOB NOT NULL)');
    const insert = db.prepare('INSERT INTO ciphers (uuid, data) VALUES (?, ?)');
    for (let i = 0; i < 200; i += 1) insert.run(randomBytes(16).toString('hex'), randomBytes(600));
  } finally {
    db.close();
  }
  write(
    path.join(dir, 'vw-data', 'config.json'),
    `${JSON.stringify({ domain: 'https://vault.home.example', signups_allowed: false }, null, 2)}\n`,
  );
  for (let i = 1; i <= 5; i += 1)
    write(path.join(dir, 'vw-data', 'attachments', randomBytes(8).toString('hex'), `file-${i}.bin`), randomBytes(50_000));
}

const BUILDERS: Record<(typeof DEMO_APP_IDS)[number], (dir: string) => void> = { photos, notes, vault };

/**
 * Sample apps with realistic data (a photo library with a database, a SQLite notes app, a
 * password manager), so a newcomer can try backup and restore at once. Refuses to run when
 * any of them exists: it never touches existing apps. Bind mounts only, so it works without
 * Docker (named volumes need `docker volume inspect`).
 */
export function createDemoApps(appsDir: string): string[] {
  const existing = DEMO_APP_IDS.filter((id) => existsSync(path.join(appsDir, id)));
  if (existing.length > 0)
    throw new AppError(
      'conflict',
      `${appsDir} already has ${existing.join(', ')}; demo-apps never touches existing apps. Point CLOUDOS_APPS_DIR elsewhere to try them.`,
    );
  mkdirSync(appsDir, { recursive: true });
  try {
    for (const id of DEMO_APP_IDS) BUILDERS[id](path.join(appsDir, id));
  } catch (error) {
    // Half a demo app is worse than none; none of these directories existed before.
    for (const id of DEMO_APP_IDS) rmSync(path.join(appsDir, id), { recursive: true, force: true });
    throw error;
  }
  return [...DEMO_APP_IDS];
}
