import path from 'node:path';
import { TreePacker } from '../archive/pack-tree';
import type { BackupContents, ManifestApp } from './manifest';
import type { BackupPlan, PlannedApp } from './plan-backup';
import type { Quiescer } from './quiesce';

export interface BackupStreamOptions {
  id: string;
  plan: BackupPlan;
  createdAt: Date;
  quiescer: Quiescer;
  /** Takes the instance database snapshot (full backups); returns the file and a cleanup. */
  snapshotSystem: () => Promise<{ file: string; remove: () => void }>;
  signal?: AbortSignal;
  onPhase: (phase: string, currentItem?: string) => void;
  onProgress: (progress: { files: number; bytes: number; currentPath: string }) => void;
  onWarning: (message: string) => void;
}

/**
 * The plaintext of a backup: a tar stream with `apps/<app>/compose/…` and
 * `apps/<app>/volumes/<volume>/…` per app, `system/…` for a full backup, and `manifest.json`
 * last (only then are the counts known). `contents` is set when the stream ended.
 */
export class BackupStream {
  contents: BackupContents | null = null;
  private readonly packer: TreePacker;

  constructor(private readonly options: BackupStreamOptions) {
    this.packer = new TreePacker({ signal: options.signal, onProgress: options.onProgress, onWarning: options.onWarning });
  }

  async *stream(): AsyncGenerator<Buffer> {
    const { plan, quiescer } = this.options;
    const apps: ManifestApp[] = [];
    for (const planned of plan.apps) {
      apps.push(yield* this.app(planned, quiescer));
    }
    let system: BackupContents['system'] = null;
    if (plan.includeSystem) {
      this.options.onPhase('Archiving the system database, settings and accounts', 'system');
      const before = this.packer.result.bytes;
      const snapshot = await this.options.snapshotSystem();
      try {
        yield* this.packer.directory('system');
        yield* this.packer.file(snapshot.file, 'system/cloudos.db');
      } finally {
        snapshot.remove();
      }
      system = { files: ['system/cloudos.db'], bytes: this.packer.result.bytes - before };
    }
    const contents: BackupContents = {
      format: 'cloudos-backup-contents',
      version: 1,
      id: this.options.id,
      scope: plan.scope,
      createdAt: this.options.createdAt.toISOString(),
      apps,
      system,
      files: this.packer.result.files,
      bytes: this.packer.result.bytes,
    };
    yield* this.packer.generated('manifest.json', Buffer.from(`${JSON.stringify(contents, null, 2)}\n`));
    yield this.packer.end();
    this.contents = contents;
  }

  private async *app(planned: PlannedApp, quiescer: Quiescer): AsyncGenerator<Buffer, ManifestApp> {
    const { app } = planned;
    const base = `apps/${app.id}`;
    const startFiles = this.packer.result.files;
    const startBytes = this.packer.result.bytes;
    this.options.onPhase(`Archiving ${app.id}`, app.id);
    yield* this.packer.directory(base);
    yield* this.packer.directory(`${base}/compose`);
    const composeFiles = [path.basename(app.composeFile)];
    yield* this.packer.file(app.composeFile, `${base}/compose/${composeFiles[0]}`);
    if (app.envFile) {
      composeFiles.push('.env');
      yield* this.packer.file(app.envFile, `${base}/compose/.env`);
    }
    for (const missing of planned.missing)
      this.options.onWarning(`${app.id}: the volume ${missing.source} was not found on this host and is not in this backup.`);
    for (const skipped of app.skipped) this.options.onWarning(`${app.id}: skipped ${skipped.source}: ${skipped.reason}.`);

    const volumes: ManifestApp['volumes'] = [];
    if (planned.consistency === 'stop') {
      this.options.onPhase(`Stopping ${app.id}`, app.id);
      await quiescer.stop(app);
    }
    try {
      this.options.onPhase(`Archiving ${app.id}`, app.id);
      yield* this.packer.directory(`${base}/volumes`);
      for (const volume of planned.volumes) {
        const prefix = `${base}/volumes/${volume.name}`;
        const files = this.packer.result.files;
        const bytes = this.packer.result.bytes;
        if (volume.entryType === 'directory') {
          yield* this.packer.tree(volume.hostPath, prefix);
        } else {
          yield* this.packer.directory(prefix);
          yield* this.packer.file(volume.hostPath, `${prefix}/${path.basename(volume.hostPath)}`);
        }
        volumes.push({
          name: volume.name,
          kind: volume.kind,
          source: volume.source,
          entryType: volume.entryType,
          files: this.packer.result.files - files,
          bytes: this.packer.result.bytes - bytes,
        });
      }
    } finally {
      // A failed start is retried once more when the backup ends (Quiescer.restartAll).
      await quiescer
        .restart(app.id)
        .catch((error: unknown) =>
          this.options.onWarning(`${app.id} did not start again: ${error instanceof Error ? error.message : String(error)}`),
        );
    }
    return {
      id: app.id,
      consistency: planned.consistency,
      composeFiles,
      volumes,
      skipped: [...app.skipped, ...planned.missing.map((m) => ({ source: m.source, reason: 'not found on this host' }))],
      files: this.packer.result.files - startFiles,
      bytes: this.packer.result.bytes - startBytes,
    };
  }
}
