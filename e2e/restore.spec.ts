import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import type { E2eAppsEnv } from './fixtures/backup-apps';
import { ensureSetUp, signIn } from './pages/session';

test.describe.configure({ mode: 'serial' });

const appsEnv = JSON.parse(process.env.E2E_APPS_ENV ?? '{}') as E2eAppsEnv;
const notesData = path.join(appsEnv.CLOUDOS_APPS_DIR, 'notes', 'data');
const photosConfig = path.join(appsEnv.CLOUDOS_APPS_DIR, 'photos', 'config.yml');
// From test/helpers/fixture-apps.ts: page i holds "# Page i" and "lorem ipsum " i % 50 times.
const PAGE_0 = '# Page 0\n\n\n';
const PAGE_1 = '# Page 1\n\nlorem ipsum \n';

let backupId = '';

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await ensureSetUp(page);
  await page.close();
});
test.beforeEach(async ({ page }) => {
  // Sign-in may wait out first-run.spec.ts's one-minute lock.
  test.setTimeout(240_000);
  await signIn(page);
});

/** The stand-in docker CLI's record of containers stopped and started: "stop notes app". */
function dockerLifecycle(): string[] {
  return readFileSync(appsEnv.DOCKER_STANDIN_LOG, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { args: string[] }).args)
    .filter((args) => args[0] === 'compose' && (args[5] === 'stop' || args[5] === 'start'))
    .map((args) => [args[5], args[2], ...args.slice(6)].join(' '));
}

async function waitForJob(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByText('succeeded', { exact: true })).toBeVisible({ timeout: 120_000 });
}

test('a full-system backup to restore from', async ({ page }) => {
  await page.goto('/backups/new');
  await page.getByLabel('Full system').check();
  await page.getByRole('button', { name: 'Start backup' }).click();
  await waitForJob(page);
  await page.getByRole('link', { name: 'View the backup' }).click();
  await expect(page).toHaveURL(/\/backups\/[0-9a-f]{32}$/);
  backupId = page.url().split('/').pop() as string;
  expect(readFileSync(path.join(notesData, 'pages', '00', 'page-0.md'), 'utf8')).toBe(PAGE_0);
  expect(readFileSync(path.join(notesData, 'pages', '01', 'page-1.md'), 'utf8')).toBe(PAGE_1);
});

test('the wizard restores one app of the full backup: its files come back, the other apps are left alone', async ({ page }) => {
  expect(backupId).not.toBe('');
  writeFileSync(path.join(notesData, 'pages', '00', 'page-0.md'), '# changed after the backup\n');
  rmSync(path.join(notesData, 'pages', '01', 'page-1.md'));
  writeFileSync(path.join(notesData, 'added-after-backup.md'), 'new\n');
  writeFileSync(photosConfig, 'thumbnails: changed after the backup\n');
  const lifecycleBefore = dockerLifecycle();

  // Backups → History → the backup → Restore.
  await page.goto('/backups');
  await page.locator(`tr[data-backup-id="${backupId}"]`).getByRole('link').first().click();
  await expect(page).toHaveURL(new RegExp(`/backups/${backupId}$`));
  await page.getByRole('link', { name: 'Restore…' }).click();
  await expect(page).toHaveURL(new RegExp(`/backups/${backupId}/restore$`));

  // Step 1: the backup as the catalog knows it.
  await expect(page.getByText('Step 1 of 3')).toBeVisible();
  const summary = page.getByLabel('Backup to restore');
  await expect(summary).toContainText('Full system');
  await expect(summary).toContainText('Local backups (local)');
  await expect(summary).toContainText(/notes — [\d.]+ [kM]B, 2,00\d files/);
  await expect(summary).toContainText('never verified');
  const sha = await summary.locator('code[data-sha256]').getAttribute('data-sha256');
  expect(sha).toMatch(/^[0-9a-f]{64}$/);
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 2: nothing is preselected from a full backup; the system part cannot be chosen yet.
  await expect(page.getByText('Step 2 of 3')).toBeVisible();
  for (const app of ['documents', 'notes', 'photos']) await expect(page.getByRole('checkbox', { name: app })).not.toBeChecked();
  const system = page.getByRole('checkbox', { name: /System settings and user accounts/ });
  await expect(system).toBeDisabled();
  await expect(page.getByText(/not supported yet/)).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('Choose at least one app to restore.')).toBeVisible();
  await expect(page.getByText('Step 2 of 3')).toBeVisible();
  await page.getByRole('checkbox', { name: 'notes' }).check();
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 3: what stops, starts and is replaced — for notes only.
  await expect(page.getByText('Step 3 of 3')).toBeVisible();
  await expect(page.getByText(/changes made since then are lost/)).toBeVisible();
  const plan = page.getByRole('region', { name: 'Restore plan for notes' });
  await expect(plan.getByTestId('restore-services-notes')).toHaveText('app');
  await expect(plan.getByRole('list', { name: 'Data replaced for notes' })).toContainText(notesData);
  await expect(page.getByRole('region', { name: /Restore plan for (photos|documents)/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Restore notes' }).click();

  await waitForJob(page);
  await expect(page.getByRole('heading', { name: /Restore/ }).first()).toBeVisible();
  await expect(page.getByTestId('restore-outcome-notes')).toHaveText('notes: restored');
  await expect(page.getByRole('region', { name: 'Restore outcome' }).getByRole('listitem')).toHaveCount(1);

  expect(readFileSync(path.join(notesData, 'pages', '00', 'page-0.md'), 'utf8')).toBe(PAGE_0);
  expect(readFileSync(path.join(notesData, 'pages', '01', 'page-1.md'), 'utf8')).toBe(PAGE_1);
  expect(existsSync(path.join(notesData, 'added-after-backup.md'))).toBe(false);
  expect(readFileSync(photosConfig, 'utf8')).toBe('thumbnails: changed after the backup\n');
  expect(dockerLifecycle().slice(lifecycleBefore.length)).toEqual(['stop notes app', 'start notes app']);
});

test('Verify from the backup page reads the stored object and shows ok, there and on the job page', async ({ page }) => {
  expect(backupId).not.toBe('');
  await page.goto(`/backups/${backupId}`);
  await expect(page.getByLabel('Backup details')).toContainText('never verified');
  await page.getByRole('button', { name: 'Verify' }).click();
  await waitForJob(page);
  await expect(page.getByTestId('verify-result')).toHaveText('ok');
  await page.getByRole('link', { name: 'View the backup' }).click();
  await expect(page).toHaveURL(new RegExp(`/backups/${backupId}$`));
  await expect(page.getByTestId('backup-verification')).toHaveText('verified just now: ok');
});
