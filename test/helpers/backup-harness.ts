import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ArchiveDecryptor } from '@/lib/core/archive/decrypt-archive';
import { TarExtractor } from '@/lib/core/archive/extract-tar';
import type { BackupRequest } from '@/lib/core/backup/backup-request';
import { type BackupContext, runBackup } from '@/lib/core/backup/run-backup';
import { enqueueJob } from '@/lib/core/jobs/enqueue-job';
import { loadBackupKeys } from '@/lib/core/keys/backup-keys';
import { initializeInstance } from '@/lib/core/setup/initialize-instance';
import type { StorageTarget } from '@/lib/core/storage/storage-target';
import { createDockerStandin, type DockerStandin } from './docker-standin';
import { createFixtureApps, type FixtureApps, type FixtureOptions } from './fixture-apps';
import { createTempInstance, type TempInstance } from './temp-instance';

export interface BackupHarness {
  root: string;
  instance: TempInstance;
  instanceKey: Buffer;
  apps: FixtureApps;
  docker: DockerStandin;
  logs: { message: string; level: string }[];
  /** Runs a backup as a job of this instance would (a job row, the engine, its context). */
  backup: (request: Partial<BackupRequest> & { target: string }, extra?: Partial<BackupContext>) => ReturnType<typeof runBackup>;
  /** The same job context for another entry point (e.g. backup plus a schedule's retention). */
  contextFor: (jobId: string) => BackupContext;
  cleanup: () => Promise<void>;
}

/** A set-up instance (admin, passphrase, master key), fixture apps and a docker stand-in. */
export async function createBackupHarness(fixture: FixtureOptions = {}): Promise<BackupHarness> {
  const root = mkdtempSync(path.join(tmpdir(), 'cloudos-backup-'));
  const instance = createTempInstance();
  const instanceKey = randomBytes(32);
  await initializeInstance(instance.db, instanceKey, {
    username: 'admin',
    password: 'correct horse battery',
    passphrase: { mode: 'choose', value: 'a long enough backup passphrase' },
  });
  const apps = createFixtureApps(root, fixture);
  const docker = createDockerStandin(path.join(root, 'docker'), apps.dockerState);
  docker.install();
  const logs: BackupHarness['logs'] = [];
  const contextFor = (jobId: string): BackupContext => ({
    db: instance.db,
    instanceKey,
    env: { appsDir: apps.appsDir, dataDir: instance.dir, databasePath: instance.databasePath, dockerBin: docker.bin },
    jobId,
    createdBy: 'test',
    log: async (message, level = 'info') => {
      logs.push({ message, level });
    },
    reportProgress: () => {},
  });
  return {
    root,
    instance,
    instanceKey,
    apps,
    docker,
    logs,
    backup: async (request, extra = {}) => {
      const job = await enqueueJob(instance.db, 'backup', { scope: 'full', apps: [], ...request }, { createdBy: 'test' });
      return runBackup({ scope: 'full', apps: [], ...request }, { ...contextFor(job.id), ...extra });
    },
    contextFor,
    cleanup: async () => {
      await instance.cleanup();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export async function sha256OfObject(target: StorageTarget, key: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of await target.get(key)) hash.update(piece);
  return hash.digest('hex');
}

/** Decrypts and extracts a stored backup into `dest` with the instance's master key. */
export async function extractBackup(harness: BackupHarness, target: StorageTarget, key: string): Promise<string> {
  const dest = mkdtempSync(path.join(harness.root, 'extracted-'));
  const { masterKey } = await loadBackupKeys(harness.instance.db, harness.instanceKey);
  const decryptor = new ArchiveDecryptor({ masterKeys: [masterKey] });
  await new TarExtractor(dest).extract(decryptor.decrypt(await target.get(key)));
  return dest;
}
