import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import { removeTarget, targetDependents } from './remove-target';
import { createTarget } from './targets';

let instance: TempInstance;
const instanceKey = randomBytes(32);

beforeEach(async () => {
  instance = createTempInstance();
  await createTarget(instance.db, instanceKey, { kind: 'local', name: 'Local backups', path: '/srv/a' }, { isDefault: true });
  await createTarget(instance.db, instanceKey, { kind: 'local', name: 'USB disk', path: '/srv/b' });
});
afterEach(() => instance.cleanup());

async function addBackup(targetName: string, startedAt: string, status = 'succeeded') {
  const target = await instance.db.target.findUniqueOrThrow({ where: { name: targetName } });
  await instance.db.backup.create({
    data: {
      id: randomUUID(),
      targetId: target.id,
      scope: 'full',
      apps: '[]',
      status,
      objectKey: `archives/${randomUUID()}`,
      startedAt: new Date(startedAt),
    },
  });
}

describe('targetDependents', () => {
  it('counts catalog backups of any status and gives the latest date', async () => {
    await addBackup('USB disk', '2026-01-02T03:00:00Z');
    await addBackup('USB disk', '2026-03-04T05:00:00Z', 'failed');
    await addBackup('USB disk', '2026-02-01T00:00:00Z');
    await addBackup('Local backups', '2026-05-01T00:00:00Z');
    expect(await targetDependents(instance.db, 'USB disk')).toEqual({
      backups: { count: 3, running: 0, latestAt: '2026-03-04T05:00:00.000Z' },
    });
  });

  it('says nothing depends on a target without backups', async () => {
    expect(await targetDependents(instance.db, 'USB disk')).toEqual({ backups: { count: 0, running: 0, latestAt: null } });
  });
});

describe('removeTarget', () => {
  it('refuses while catalog backups use the target, naming them, and changes nothing', async () => {
    for (const day of ['01', '02', '03']) await addBackup('USB disk', `2026-04-${day}T00:00:00Z`);
    await expect(removeTarget(instance.db, 'USB disk')).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('3 backups in the catalog use this target (the latest from 2026-04-03).'),
    });
    expect(await instance.db.target.count({ where: { name: 'USB disk' } })).toBe(1);
    expect(await instance.db.backup.count()).toBe(3);
  });

  it('with forgetBackups removes the target and only its catalog rows', async () => {
    await addBackup('USB disk', '2026-04-01T00:00:00Z');
    await addBackup('USB disk', '2026-04-02T00:00:00Z');
    await addBackup('Local backups', '2026-04-03T00:00:00Z');
    await removeTarget(instance.db, 'USB disk', { forgetBackups: true });
    expect((await instance.db.target.findMany()).map((t) => t.name)).toEqual(['Local backups']);
    expect(await instance.db.backup.count()).toBe(1);
  });

  it('refuses while a backup to the target is running, even with forgetBackups', async () => {
    await addBackup('USB disk', '2026-04-01T00:00:00Z', 'running');
    await expect(removeTarget(instance.db, 'USB disk', { forgetBackups: true })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/is running/),
    });
    expect(await instance.db.backup.count()).toBe(1);
  });

  it('removes the default target like any other, and says when a name is unknown', async () => {
    await removeTarget(instance.db, 'Local backups');
    expect(await instance.db.target.count({ where: { name: 'Local backups' } })).toBe(0);
    await expect(removeTarget(instance.db, 'Local backups')).rejects.toMatchObject({ code: 'not_found' });
  });
});
