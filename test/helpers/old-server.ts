import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { createDockerStandin } from './docker-standin';
import { createFixtureApps } from './fixture-apps';
import { runCli } from './processes';
import type { RealTargetKind } from './real-targets';
import { createRemoteDir, createTestBucket, startRadosgw, startSshd } from './services';
import { snapshotTree, type TreeSnapshotEntry } from './tree';

type Tree = Record<string, TreeSnapshotEntry>;

export const TARGET_NAMES: Record<RealTargetKind, string> = { local: 'nas', s3: 'cloud', sftp: 'offsite' };

export interface OldServer {
  /** The passphrase set last (after the change), as a file. */
  passphraseFile: string;
  /** The passphrase the instance was set up with. */
  firstPassphraseFile: string;
  adminPassword: string;
  /** `targets add …` arguments that reach A's target of each kind, under a name given. */
  addArgs: (kind: RealTargetKind, name: string) => string[];
  /** Where the local target's repository is. */
  localRepository: string;
  /** A full backup made before the passphrase change (on the local target). */
  beforeChange: string;
  /** The newest full backup on each target (after the change). */
  full: Record<RealTargetKind, string>;
  /** The app trees as the newest full backups hold them, and the named volumes' by Docker name. */
  trees: Record<'photos' | 'notes' | 'wiki', Tree> & { volumes: Record<string, Tree> };
  /** Everything A's catalog held when it died, newest first. */
  backupIds: string[];
}

async function cli(args: string[], env: Record<string, string>) {
  const result = await runCli(args, env);
  expect(result.code, `${args.join(' ')}: ${result.stderr}${result.stdout}`).toBe(0);
  return result.stdout;
}

/**
 * Instance A as a user runs it, then its death: set up, a target of each kind asked for (the
 * local one outside its data directory, as a NAS would be), a schedule and an API token, a
 * full backup, a passphrase change, full backups to every target — then its data directory,
 * its apps and its named volume are deleted. What a new server needs is returned.
 */
export async function runAndLoseOldServer(root: string, kinds: readonly RealTargetKind[]): Promise<OldServer> {
  const dir = path.join(root, 'old-server');
  const apps = createFixtureApps(dir, { bigFileBytes: 512 * 1024, smallFiles: 40 });
  const wikiVolumes = addWikiApp(apps.appsDir, path.join(dir, 'docker-volumes'));
  const docker = createDockerStandin(path.join(dir, 'docker'), {
    projects: {
      ...apps.dockerState.projects,
      knowledge: { containers: [{ Name: 'knowledge-app-1', Service: 'app', State: 'running' }] },
    },
    volumes: { ...apps.dockerState.volumes, ...wikiVolumes },
  });
  const env = { CLOUDOS_DATA_DIR: path.join(dir, 'data'), CLOUDOS_APPS_DIR: apps.appsDir, ...docker.env };
  const file = (name: string, text: string) => {
    const p = path.join(root, name);
    writeFileSync(p, `${text}\n`, { mode: 0o600 });
    return p;
  };
  const adminPassword = 'old admin password';
  const passwordFile = file('old-admin-password', adminPassword);
  const firstPassphraseFile = file('first-passphrase', 'the passphrase of the old server');
  const passphraseFile = file('passphrase', 'the changed passphrase of the old server');

  const localRepository = path.join(root, 'nas-share');
  mkdirSync(localRepository);
  const s3 = kinds.includes('s3') ? startRadosgw() : null;
  const bucket = s3 ? await createTestBucket(s3, 'dr') : '';
  const sftp = kinds.includes('sftp') ? startSshd() : null;
  const remoteDir = sftp ? createRemoteDir(sftp, 'dr') : '';
  const addArgs = (kind: RealTargetKind, name: string): string[] => {
    if (kind === 'local') return ['targets', 'add', 'local', name, '--path', localRepository];
    if (kind === 's3' && s3)
      return ['targets', 'add', 's3', name, '--endpoint', s3.S3_ENDPOINT ?? '', '--region', 'us-east-1', '--bucket', bucket]
        .concat([
          '--access-key-id',
          s3.S3_ACCESS_KEY_ID ?? '',
          '--secret-access-key-file',
          file('s3-secret', s3.S3_SECRET_ACCESS_KEY ?? ''),
        ])
        .concat(['--prefix', 'home']);
    if (kind === 'sftp' && sftp)
      return ['targets', 'add', 'sftp', name, '--host', sftp.SFTP_HOST ?? '', '--port', sftp.SFTP_PORT ?? '']
        .concat(['--username', sftp.SFTP_USERNAME ?? '', '--password-file', file('sftp-password', sftp.SFTP_PASSWORD ?? '')])
        .concat(['--remote-path', remoteDir]);
    throw new Error(`no ${kind} service`);
  };

  await cli(
    ['init', '--admin-user', 'olduser', '--admin-password-file', passwordFile, '--passphrase-file', firstPassphraseFile],
    env,
  );
  for (const kind of kinds) await cli(addArgs(kind, TARGET_NAMES[kind]), env);
  for (const kind of kinds.filter((k) => k !== 'local')) await cli(['targets', 'test', TARGET_NAMES[kind]], env); // pins the SFTP host key
  await cli(
    [
      'schedules',
      'add',
      'nightly',
      '--cron',
      'daily',
      '--target',
      TARGET_NAMES[kinds[0] ?? 'local'],
      '--full',
      '--keep-last',
      '7',
    ],
    env,
  );
  await cli(['tokens', 'create', 'update-hook'], env);
  const backup = async (target: string) =>
    JSON.parse(await cli(['backup', '--target', target, '--full', '--json'], env)).backupId as string;
  const beforeChange = await backup(TARGET_NAMES.local);
  await cli(['passphrase', 'change', '--current-file', firstPassphraseFile, '--new-file', passphraseFile], env);
  const full = {} as Record<RealTargetKind, string>;
  for (const kind of kinds) full[kind] = await backup(TARGET_NAMES[kind]);
  const trees = {
    photos: snapshotTree(path.join(apps.appsDir, 'photos')),
    notes: snapshotTree(path.join(apps.appsDir, 'notes')),
    wiki: snapshotTree(path.join(apps.appsDir, 'wiki')),
    volumes: Object.fromEntries(
      Object.entries({ 'photos_db-data': apps.namedVolumeDir, ...wikiVolumes }).map(([name, dir]) => [name, snapshotTree(dir)]),
    ),
  };
  const backupIds = (JSON.parse(await cli(['list', '--json'], env)) as { id: string }[]).map((b) => b.id);
  // The disk dies: the data directory (database, instance key), the apps and their volumes.
  rmSync(dir, { recursive: true, force: true });
  return {
    passphraseFile,
    firstPassphraseFile,
    adminPassword,
    addArgs,
    localRepository,
    beforeChange,
    full,
    trees,
    backupIds,
  };
}

/** A fresh server: its own data dir, apps dir and docker stand-in (no containers, no volumes). */
export function newServerEnv(root: string, name: string) {
  const dir = path.join(root, name);
  const docker = createDockerStandin(path.join(dir, 'docker'), { projects: {}, volumes: {} });
  const appsDir = path.join(dir, 'apps');
  mkdirSync(appsDir, { recursive: true });
  return {
    env: { CLOUDOS_DATA_DIR: path.join(dir, 'data'), CLOUDOS_APPS_DIR: appsDir, ...docker.env },
    appsDir,
    databasePath: path.join(dir, 'data', 'cloudos.db'),
    docker,
  };
}

/**
 * An app whose Compose file names its project (`name: knowledge`) and one volume (`name:`):
 * on a new server its volumes must be created under those names, not the folder's.
 * Returns its named volumes' mountpoints by Docker name.
 */
function addWikiApp(appsDir: string, volumesDir: string): Record<string, string> {
  const wiki = path.join(appsDir, 'wiki');
  mkdirSync(wiki, { recursive: true });
  writeFileSync(
    path.join(wiki, 'compose.yaml'),
    [
      'name: knowledge',
      'services:',
      '  app:',
      '    image: example/wiki:1',
      '    volumes:',
      '      - content:/data',
      '      - uploads:/uploads',
      'volumes:',
      '  content: {}',
      '  uploads:',
      '    name: wiki-uploads-v2',
      '',
    ].join('\n'),
  );
  const volumes = {
    knowledge_content: path.join(volumesDir, 'knowledge_content', '_data'),
    'wiki-uploads-v2': path.join(volumesDir, 'wiki-uploads-v2', '_data'),
  };
  for (const [name, dir] of Object.entries(volumes)) {
    mkdirSync(path.join(dir, 'pages'), { recursive: true });
    writeFileSync(path.join(dir, 'pages', `${name}.md`), `# ${name}\n`);
  }
  return volumes;
}
