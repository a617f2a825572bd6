import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerStandin } from '@/test/helpers/docker-standin';
import { createFixtureApps } from '@/test/helpers/fixture-apps';
import { runCli } from '@/test/helpers/processes';

let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cloudos-schedules-cli-'));
  const apps = createFixtureApps(dir, { bigFileBytes: 64 * 1024, smallFiles: 20 });
  const docker = createDockerStandin(path.join(dir, 'docker'), apps.dockerState);
  env = { CLOUDOS_DATA_DIR: path.join(dir, 'data'), CLOUDOS_APPS_DIR: apps.appsDir, TZ: 'Europe/Berlin', ...docker.env };
  writeFileSync(path.join(dir, 'pw'), 'correct horse battery\n');
  const init = await runCli(
    ['init', '--admin-user', 'admin', '--admin-password-file', path.join(dir, 'pw'), '--generate-passphrase'],
    env,
  );
  expect(init.code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const berlinTime = (iso: string) =>
  new Date(iso).toLocaleTimeString('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' });

describe('cloudos-backup schedules and retention', () => {
  it('adds a schedule from a preset and lists it with its next five runs in the instance zone', async () => {
    const added = await runCli(
      ['schedules', 'add', 'Nightly', '--cron', 'daily', '--target', 'Local backups', '--apps', 'photos', '--keep-last', '2'],
      env,
    );
    expect([added.code, added.stdout.trim()]).toEqual([
      0,
      'Schedule "Nightly" added: Every day at 02:00 (0 2 * * *) to Local backups.',
    ]);
    const list = await runCli(['schedules', 'list', '--json'], env);
    const [schedule] = JSON.parse(list.stdout);
    expect(schedule).toMatchObject({
      name: 'Nightly',
      cron: '0 2 * * *',
      scope: 'apps',
      apps: ['photos'],
      keepLast: 2,
      timeZone: 'Europe/Berlin',
    });
    expect(schedule.nextRuns).toHaveLength(5);
    expect(schedule.nextRuns.map(berlinTime)).toEqual(Array(5).fill('02:00'));
    expect(new Date(schedule.nextRuns[0]).getTime()).toBeGreaterThan(Date.now());
    expect((await runCli(['schedules', 'list'], env)).stdout).toMatch(
      /Nightly\s+Every day at 02:00\s+Local backups\s+photos\s+last 2/,
    );
  }, 60_000);

  it.each([
    [
      ['--cron', '61 * * * *', '--target', 'Local backups', '--full'],
      1,
      /not a valid cron expression: Invalid value for minute: 61/,
    ],
    [['--cron', 'daily', '--target', 'Nowhere', '--full'], 1, /no target named "Nowhere"/],
    [['--cron', 'daily', '--target', 'Local backups'], 2, /exactly one of --full or --apps/],
    [['--cron', 'daily', '--target', 'Local backups', '--apps', 'photos,nosuch'], 1, /There is no app "nosuch"/],
    [['--cron', 'daily', '--target', 'Local backups', '--apps', 'broken'], 1, /The app "broken" cannot be backed up/],
    [['--cron', 'daily', '--target', 'Local backups', '--full', '--keep-daily', 'two'], 2, /--keep-daily must be a whole number/],
  ])(
    'rejects %j with exit %i and adds nothing',
    async (args, code, message) => {
      const result = await runCli(['schedules', 'add', 'Bad', ...args], env);
      expect(result.code).toBe(code);
      expect(result.stderr).toMatch(message);
      const names = JSON.parse((await runCli(['schedules', 'list', '--json'], env)).stdout).map((s: { name: string }) => s.name);
      expect(names).toEqual(['Nightly']);
    },
    60_000,
  );

  it('runs the schedule now, retention included, and previews what the policy keeps', async () => {
    const ids: string[] = [];
    for (let run = 0; run < 3; run += 1) {
      const result = await runCli(['schedules', 'run', 'Nightly', '--json'], env);
      expect(result.code).toBe(0);
      const parsed = JSON.parse(result.stdout);
      expect(parsed.status).toBe('succeeded');
      ids.push(parsed.backupId);
    }
    const archives = readdirSync(path.join(dir, 'data', 'backups', 'archives')).filter((f) => f.endsWith('.cob'));
    expect(archives.sort()).toEqual(
      ids
        .slice(-2)
        .map((id) => `${id}.cob`)
        .sort(),
    );
    const preview = JSON.parse((await runCli(['retention', 'preview', 'Nightly', '--json'], env)).stdout);
    expect(preview.backups.map((b: { id: string; action: string; reasons: string[] }) => [b.id, b.action, b.reasons])).toEqual([
      [ids[2], 'keep', ['newest', 'last 2']],
      [ids[1], 'keep', ['last 2']],
    ]);
  }, 180_000);

  it('shows and changes the time zone and grace window; a bad value changes neither', async () => {
    const shown = await runCli(['schedules', 'settings', '--json'], env);
    expect(JSON.parse(shown.stdout)).toEqual({ timeZone: 'Europe/Berlin', graceMinutes: 60 });
    const bad = await runCli(['schedules', 'settings', '--time-zone', 'Mars/Olympus', '--grace-minutes', '5'], env);
    expect([bad.code, bad.stderr.trim()]).toEqual([
      1,
      'cloudos-backup: "Mars/Olympus" is not a known IANA time zone (like Europe/Berlin or America/New_York).',
    ]);
    const changed = await runCli(['schedules', 'settings', '--time-zone', 'america/new_york', '--grace-minutes', '15'], env);
    expect(changed.stdout.trim()).toBe('Time zone: America/New_York. Grace window for missed runs: 15 min.');
    // Next runs are read in the new zone: daily at 02:00 New York time.
    const [schedule] = JSON.parse((await runCli(['schedules', 'list', '--json'], env)).stdout);
    expect(schedule.timeZone).toBe('America/New_York');
    expect(
      new Date(schedule.nextRuns[0]).toLocaleTimeString('en-GB', {
        timeZone: 'America/New_York',
        hour: '2-digit',
        minute: '2-digit',
      }),
    ).toBe('02:00');
    expect((await runCli(['schedules', 'settings', '--time-zone', 'Europe/Berlin', '--grace-minutes', '60'], env)).code).toBe(0);
  }, 60_000);

  it('cleanup reports per target and leaves the backups alone', async () => {
    const result = await runCli(['cleanup', '--json'], env);
    expect(result.code).toBe(0);
    const [local] = JSON.parse(result.stdout);
    expect(local).toMatchObject({ target: 'Local backups', ok: true, partialsRemoved: [], deletionsFinished: [] });
    expect(readdirSync(path.join(dir, 'data', 'backups', 'archives')).filter((f) => f.endsWith('.cob'))).toHaveLength(2);
    const unknown = await runCli(['cleanup', '--target', 'Nowhere'], env);
    expect([unknown.code, unknown.stderr.trim()]).toEqual([1, 'cloudos-backup: There is no target named "Nowhere".']);
  }, 60_000);

  it('removes a schedule; an unknown one is an error', async () => {
    expect((await runCli(['schedules', 'remove', 'Nightly'], env)).code).toBe(0);
    const again = await runCli(['schedules', 'remove', 'Nightly'], env);
    expect([again.code, again.stderr.trim()]).toEqual([1, 'cloudos-backup: There is no schedule named "Nightly".']);
    expect(JSON.parse((await runCli(['schedules', 'list', '--json'], env)).stdout)).toEqual([]);
  }, 60_000);
});
