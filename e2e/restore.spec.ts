import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import type { StandinState } from '../test/helpers/docker-standin';
import type { E2eAppsEnv } from './fixtures/backup-apps';
import { signedInSpec, signIn } from './pages/session';

test.describe.configure({ mode: 'serial' });

const appsEnv = JSON.parse(process.env.E2E_APPS_ENV ?? '{}') as E2eAppsEnv;
const notesData = path.join(appsEnv.CLOUDOS_APPS_DIR, 'notes', 'data');
const photosConfig = path.join(appsEnv.CLOUDOS_APPS_DIR, 'photos', 'config.yml');
// From test/helpers/fixture-apps.ts: page i holds "# Page i" and "lorem ipsum " i % 50 times.
const PAGE_0 = '# Page 0\n\n\n';
const PAGE_1 = '# Page 1\n\nlorem ipsum \n';

let backupId = '';

// Sign-in may wait out first-run.spec.ts's one-minute lock.
signedInSpec(240_000);

/** The stand-in docker CLI's record of containers stopped and started: "stop notes app". */
function dockerLifecycle(): string[] {
  return readFileSync(appsEnv.DOCKER_STANDIN_LOG, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { args: string[] }).args)
    .filter((args) => args[0] === 'compose' && (args[5] === 'stop' || args[5] === 'start'))
    .map((args) => [args[5], args[2], ...args.slice(6)].join(' '));
}

async function waitForJob(page: Page, status: 'succeeded' | 'failed' = 'succeeded'): Promise<void> {
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByText(status, { exact: true })).toBeVisible({ timeout: 120_000 });
}

/** Walks the wizard from the backup's page to its last step with these choices made. */
async function chooseInWizard(page: Page, choices: (string | RegExp)[]): Promise<void> {
  await page.goto(`/backups/${backupId}/restore`);
  await expect(page.getByText('Step 1 of 3')).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  for (const name of choices) await page.getByRole('checkbox', { name }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('Step 3 of 3')).toBeVisible();
}

/** Runs `change` on the docker stand-in's state, and puts the state back afterwards. */
async function withDockerState(change: (state: StandinState) => void, run: () => Promise<void>): Promise<void> {
  const original = readFileSync(appsEnv.DOCKER_STANDIN_STATE, 'utf8');
  const state = JSON.parse(original) as StandinState;
  change(state);
  writeFileSync(appsEnv.DOCKER_STANDIN_STATE, JSON.stringify(state));
  try {
    await run();
  } finally {
    writeFileSync(appsEnv.DOCKER_STANDIN_STATE, original);
  }
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

  // Step 2: nothing is preselected from a full backup, the system part included.
  await expect(page.getByText('Step 2 of 3')).toBeVisible();
  for (const app of ['documents', 'notes', 'photos']) await expect(page.getByRole('checkbox', { name: app })).not.toBeChecked();
  const system = page.getByRole('checkbox', { name: /System settings and user accounts/ });
  await expect(system).toBeEnabled();
  await expect(system).not.toBeChecked();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('Choose at least one app, or the system settings and user accounts.')).toBeVisible();
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

test('Verify in the history finds a byte flipped on the target: the job fails as corrupted and history says so', async ({
  page,
}) => {
  expect(backupId).not.toBe('');
  const object = path.join(process.env.E2E_DATA_DIR ?? '', 'backups', 'archives', `${backupId}.cob`);
  const original = readFileSync(object);
  const damaged = Buffer.from(original);
  const offset = Math.floor(damaged.length / 2);
  damaged[offset] = (damaged[offset] ?? 0) ^ 0x01;
  writeFileSync(object, damaged);
  try {
    await page.goto('/backups');
    const row = page.locator(`tr[data-backup-id="${backupId}"]`);
    await row.getByRole('button', { name: 'Verify', exact: true }).click();
    await waitForJob(page, 'failed');
    await expect(page.getByTestId('verify-result')).toHaveText('corrupted');
    await page.goto('/backups');
    await expect(row.getByTestId('backup-verification')).toHaveText('verified just now: corrupted');
  } finally {
    writeFileSync(object, original);
  }
});

test('a restore whose app cannot start again rolls that app back: the job fails and says so, the data is as before', async ({
  page,
}) => {
  expect(backupId).not.toBe('');
  writeFileSync(photosConfig, 'thumbnails: changed before a failing restore\n');
  await withDockerState(
    (state) => {
      state.fail = ['start photos'];
    },
    async () => {
      await chooseInWizard(page, ['photos']);
      await page.getByRole('button', { name: 'Restore photos' }).click();
      await waitForJob(page, 'failed');
      await expect(page.getByTestId('restore-outcome-photos')).toContainText(
        'photos: rolled back to its data before the restore',
      );
      await expect(page.getByTestId('restore-outcome-photos')).toContainText('cannot start photos');
    },
  );
  expect(readFileSync(photosConfig, 'utf8')).toBe('thumbnails: changed before a failing restore\n');
});

test('restoring the system settings and user accounts brings settings back and signs everyone out', async ({ page }) => {
  expect(backupId).not.toBe('');
  // A setting changed after the backup: notes is backed up live from now on.
  await page.goto('/apps');
  const notesMode = page.getByRole('region', { name: 'App notes' }).getByLabel('Backup mode');
  const modeAtBackup = await notesMode.inputValue();
  const changed = modeAtBackup === 'stop' ? 'live' : 'stop';
  await notesMode.selectOption(changed);
  await expect(page.getByText(`notes will be backed up ${changed === 'stop' ? 'stopped' : 'live'}.`)).toBeVisible();
  const notesBefore = readFileSync(path.join(notesData, 'pages', '00', 'page-0.md'), 'utf8');

  await chooseInWizard(page, [/System settings and user accounts/]);
  const plan = page.getByRole('region', { name: 'Restore plan for the system settings and user accounts' });
  await expect(plan).toContainText('Everyone is signed out when it finishes');
  await expect(page.getByRole('region', { name: /Restore plan for (notes|photos|documents)/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Restore system settings' }).click();
  await waitForJob(page);
  await expect(page.getByTestId('restore-outcome-system')).toContainText('System settings and user accounts: restored');

  // Signed out: the next page asks to sign in; the account from the backup signs in.
  await page.goto('/apps');
  await expect(page).toHaveURL(/\/login/);
  await signIn(page);
  await page.goto('/apps');
  await expect(page.getByRole('region', { name: 'App notes' }).getByLabel('Backup mode')).toHaveValue(modeAtBackup);
  // The apps' data was not part of it.
  expect(readFileSync(path.join(notesData, 'pages', '00', 'page-0.md'), 'utf8')).toBe(notesBefore);
});
