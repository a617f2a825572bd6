import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchedule } from '@/lib/core/schedules/schedules';
import { createTarget } from '@/lib/core/targets/targets';
import { insertBackupRow } from '@/test/helpers/catalog-rows';
import { hoursAgo, NOW } from '@/test/helpers/health-history';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import { getBackupHealth } from './backup-health';
import { DEFAULT_HEALTH_THRESHOLDS, readHealthThresholds, writeHealthThresholds } from './health-settings';
import { findStaleness } from './staleness';

// The same rules over rows in a real database: what the loader reads and how settings apply.
let instance: TempInstance;
let appsDir: string;
let targetId: string;

function addBackup(hours: number, data: Record<string, unknown> = {}): Promise<string> {
  return insertBackupRow(instance.db, { targetId, startedAt: hoursAgo(hours + 0.1), finishedAt: hoursAgo(hours), ...data });
}

beforeAll(async () => {
  instance = createTempInstance();
  appsDir = mkdtempSync(path.join(tmpdir(), 'cloudos-health-apps-'));
  mkdirSync(path.join(appsDir, 'notes'));
  writeFileSync(path.join(appsDir, 'notes', 'compose.yaml'), 'services: {}\n');
  mkdirSync(path.join(appsDir, 'photos'));
  writeFileSync(path.join(appsDir, 'photos', 'docker-compose.yml'), 'services: {}\n');
  mkdirSync(path.join(appsDir, 'not-an-app'));
  const target = await createTarget(instance.db, randomBytes(32), { kind: 'local', name: 'nas', path: path.join(appsDir, '..') });
  targetId = target.id;
});
afterAll(async () => {
  await instance.cleanup();
  rmSync(appsDir, { recursive: true, force: true });
});

describe('backup health from the database', () => {
  it('reads last successes, failures and verifications, and counts installed apps never backed up', async () => {
    const ok = await addBackup(10, { verifiedAt: hoursAgo(5), verifyResult: 'ok' });
    const failed = await addBackup(3, { status: 'failed', errorMessage: 'No space left on the target.' });
    await addBackup(24 * 20, { status: 'failed' }); // older than the recent window: not listed
    const health = await getBackupHealth(instance.db, { now: NOW, timeZone: 'UTC', appsDir });
    expect(health.lastSuccess.overall).toMatchObject({ backupId: ok, targetName: 'nas' });
    expect(health.lastSuccess.perApp).toEqual([
      { app: 'notes', last: expect.objectContaining({ backupId: ok }) },
      { app: 'photos', last: null },
    ]);
    expect(health.recentFailures.backups).toEqual([
      expect.objectContaining({
        backupId: failed,
        resolved: false,
        message: 'No space left on the target.',
        fixPath: `/backups/${failed}`,
      }),
    ]);
    expect(health.reasons.map((r) => `${r.code}:${r.weight}`)).toEqual(['no_schedule:10', 'stale_app:10', 'failed_backup:10']);
    expect(health.score).toBe(70);
  });

  it('includes schedules, their next runs and their staleness', async () => {
    await createSchedule(
      instance.db,
      { name: 'nightly', cron: 'daily', target: 'nas', scope: 'apps', apps: ['notes'] },
      { now: hoursAgo(24 * 5) },
    );
    const health = await getBackupHealth(instance.db, { now: NOW, timeZone: 'UTC', appsDir });
    expect(health.nextRuns).toEqual([{ scheduleId: expect.any(String), name: 'nightly', nextAt: '2026-11-29T02:00:00.000Z' }]);
    expect(health.staleness.map((w) => `${w.kind}:${w.name}`)).toEqual(['schedule:nightly', 'app:photos']);
    expect(await findStaleness(instance.db, NOW, { timeZone: 'UTC' })).toEqual([
      expect.objectContaining({ kind: 'schedule', name: 'nightly' }),
    ]);
  });

  it('stores thresholds, refuses bad ones without changing anything, and uses them', async () => {
    expect(await readHealthThresholds(instance.db)).toEqual(DEFAULT_HEALTH_THRESHOLDS);
    await expect(writeHealthThresholds(instance.db, { staleAfterHours: 0, verifyWithinDays: 7 })).rejects.toMatchObject({
      code: 'invalid_input',
      fields: { staleAfterHours: 'Hours must be a whole number from 1 to 8760.' },
    });
    await expect(writeHealthThresholds(instance.db, { other: 1 })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await readHealthThresholds(instance.db)).toEqual(DEFAULT_HEALTH_THRESHOLDS);
    expect(await writeHealthThresholds(instance.db, { scheduleStaleFactor: 10, staleAfterHours: 5 })).toEqual({
      staleAfterHours: 5,
      scheduleStaleFactor: 10,
      verifyWithinDays: 30,
    });
    // The schedule now has ten days; the notes backup of 10 h ago is past 5 h only for uncovered apps.
    const warnings = await findStaleness(instance.db, NOW, { timeZone: 'UTC', installedApps: ['notes', 'photos'] });
    expect(warnings.map((w) => `${w.kind}:${w.name}`)).toEqual(['app:photos']);
    await instance.db.setting.update({ where: { key: 'health.staleAfterHours' }, data: { value: 'nonsense' } });
    expect((await readHealthThresholds(instance.db)).staleAfterHours).toBe(48);
  });
});
