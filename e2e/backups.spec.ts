import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import type { E2eAppsEnv } from './fixtures/backup-apps';
import { signedInSpec } from './pages/session';

test.describe.configure({ mode: 'serial' });

const appsEnv = JSON.parse(process.env.E2E_APPS_ENV ?? '{}') as E2eAppsEnv;
const dataDir = process.env.E2E_DATA_DIR ?? '';

signedInSpec(120_000);

function appCard(page: Page, id: string) {
  return page.getByRole('region', { name: `App ${id}`, exact: true });
}

/** The stand-in docker CLI's record of containers stopped and started: "stop photos web db". */
function dockerLifecycle(): string[] {
  return readFileSync(appsEnv.DOCKER_STANDIN_LOG, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { args: string[] }).args)
    .filter((args) => args[0] === 'compose' && (args[5] === 'stop' || args[5] === 'start'))
    .map((args) => [args[5], args[2], ...args.slice(6)].join(' '));
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of createReadStream(file)) hash.update(piece as Buffer);
  return hash.digest('hex');
}

test('the Apps page shows each app with its volumes, the broken one with its error, and keeps a chosen backup mode', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Apps' }).click();
  await expect(page.getByRole('heading', { name: 'Apps', exact: true })).toBeVisible();
  // The stand-in answers `docker version`: no "Docker is missing" notice.
  await expect(page.getByText('apps are treated as not running')).toHaveCount(0);

  const photos = appCard(page, 'photos');
  await expect(photos).toContainText('running');
  await expect(photos).toContainText('db: running');
  await expect(photos).toContainText('worker: exited');
  await expect(photos.getByRole('table', { name: 'Volumes of photos' })).toContainText('library');
  await expect(photos).toContainText('/etc/localtime');
  await expect(photos.getByLabel('Backup mode')).toHaveValue('stop');

  const notes = appCard(page, 'notes');
  await expect(notes.getByRole('table', { name: 'Volumes of notes' })).toContainText('data');
  await expect(appCard(page, 'broken')).toContainText('This app cannot be backed up until its Compose file is fixed:');
  await expect(appCard(page, 'broken').getByLabel('Backup mode')).toHaveCount(0);

  // notes holds a SQLite file, so it defaults to stop; archive it live instead.
  await expect(notes.getByLabel('Backup mode')).toHaveValue('stop');
  await notes.getByLabel('Backup mode').selectOption('live');
  await expect(page.getByText('notes will be backed up live.')).toBeVisible();
  await page.reload();
  await expect(appCard(page, 'notes').getByLabel('Backup mode')).toHaveValue('live');
});

test('Backup now: full system to the default target, live progress, then history, checksum and contents', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Backup now' }).click();
  await expect(page.getByRole('heading', { name: 'Backup now' })).toBeVisible();
  await expect(page.getByLabel('Full system')).toBeChecked();
  await expect(page.getByLabel('Target')).toHaveValue('Local backups');

  // A per-app backup offers the broken app disabled, with its reason.
  await page.getByLabel('Chosen apps').check();
  await expect(page.getByRole('checkbox', { name: /^broken/ })).toBeDisabled();
  await expect(page.getByText(/^Cannot be backed up: /)).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'photos' })).toBeEnabled();
  await page.getByRole('button', { name: 'Start backup' }).click();
  await expect(page.getByText('Choose at least one app to back up.')).toBeVisible();
  await expect(page).toHaveURL(/\/backups\/new$/);

  await page.getByLabel('Full system').check();
  await page.getByRole('button', { name: 'Start backup' }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: /Backup/ }).first()).toBeVisible();

  // The bar moves: two different values read while the backup is still running.
  const bar = page.getByRole('progressbar', { name: 'Job progress' });
  const percentNow = async () => Number((await bar.getAttribute('aria-valuenow')) ?? -1);
  await expect.poll(percentNow, { timeout: 60_000, intervals: [100] }).toBeGreaterThan(0);
  const first = await percentNow();
  expect(first).toBeLessThan(100);
  await expect(page.getByTestId('job-phase')).toHaveText(/^Archiving /);
  await expect(page.getByTestId('job-bytes')).toContainText(' of ');
  await expect(page.getByTestId('job-files')).toContainText(' of ');
  await expect(page.getByTestId('job-current-item')).not.toBeEmpty();
  await expect(page.getByTestId('job-percent')).toContainText('MB/s');
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeEnabled();
  await expect.poll(percentNow, { timeout: 60_000, intervals: [100] }).toBeGreaterThan(first);
  const second = await percentNow();
  expect(second).toBeLessThan(100);

  await expect(page.getByText('succeeded', { exact: true })).toBeVisible({ timeout: 90_000 });
  await expect(bar).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  await page.getByRole('link', { name: 'View the backup' }).click();
  await expect(page).toHaveURL(/\/backups\/[0-9a-f]{32}$/);
  const backupId = page.url().split('/').pop() as string;

  // The checksum shown is the SHA-256 of the object the target holds.
  const stored = await sha256OfFile(path.join(dataDir, 'backups', 'archives', `${backupId}.cob`));
  await expect(page.getByLabel('Backup details')).toContainText(stored);
  for (const app of ['documents', 'notes', 'photos'])
    await expect(page.getByRole('region', { name: `App ${app}`, exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'App broken' })).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Volumes of photos' })).toContainText('db-data');
  await expect(page.getByRole('region', { name: 'System', exact: true })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Job log' })).toContainText(`Backup ${backupId} stored`);
  await expect(page.getByRole('list', { name: 'Job log' })).toContainText('Skipping the app broken');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backups' }).click();
  const row = page.locator(`tr[data-backup-id="${backupId}"]`);
  await expect(row).toContainText('Full system');
  await expect(row).toContainText('documents, notes, photos');
  await expect(row).toContainText('Local backups');
  await expect(row).toContainText('succeeded');
  await expect(row.locator('code')).toHaveText(stored.slice(0, 12));
  await expect(row.locator('code')).toHaveAttribute('title', stored);

  // photos runs a database, so its running containers were stopped and started again; notes
  // was chosen live and documents has no database, so they were left running.
  expect(dockerLifecycle()).toEqual(['stop photos web db', 'start photos web db']);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('region', { name: 'Backup in progress' })).toContainText('No backup is running.');
  const perApp = page.getByRole('region', { name: 'Last backup per app' });
  for (const app of ['documents', 'notes', 'photos']) await expect(perApp).toContainText(app);
  await expect(page.getByRole('region', { name: 'Last backup per target' })).toContainText('Local backups');
});
