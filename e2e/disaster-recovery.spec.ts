import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { createDockerStandin } from '../test/helpers/docker-standin';
import { createFixtureApps } from '../test/helpers/fixture-apps';
import { runCli } from '../test/helpers/processes';
import type { RecoveryServerEnv } from './fixtures/recovery-server';
import { LoginPage } from './pages/auth-pages';
import { RecoveryFoundPage, RecoverySetupPage, RestoreWizardPage } from './pages/recovery-pages';
import { TargetsPage } from './pages/targets-page';

// The "recovery" project (playwright.config.ts): a second server that was never set up.
test.describe.configure({ mode: 'serial' });

const OLD_ADMIN = { username: 'olduser', password: 'the old admin password' };
const OLD_PASSPHRASE = 'the passphrase of the old server';
const server = JSON.parse(process.env.E2E_RECOVERY_ENV ?? '{}') as RecoveryServerEnv;

let root = '';
let repository = '';
let fullBackup = '';
let appsBackup = '';

async function cli(args: string[], env: Record<string, string>): Promise<string> {
  const result = await runCli(args, env);
  expect(result.code, `${args.join(' ')}: ${result.stderr}${result.stdout}`).toBe(0);
  return result.stdout;
}

/**
 * The old server, run with the real CLI and then lost: set up, a local target outside its
 * data directory (a NAS share), a full backup and a newer backup of one app — then its disk
 * dies (data directory, apps, volumes), leaving the share and the passphrase.
 */
test.beforeAll(async () => {
  test.setTimeout(180_000);
  root = mkdtempSync(path.join(tmpdir(), 'cloudos-e2e-old-server-'));
  repository = path.join(root, 'nas-share');
  mkdirSync(repository);
  const dir = path.join(root, 'old-server');
  const apps = createFixtureApps(dir, { bigFileBytes: 256 * 1024, smallFiles: 30 });
  const docker = createDockerStandin(path.join(dir, 'docker'), apps.dockerState);
  const env = { CLOUDOS_DATA_DIR: path.join(dir, 'data'), CLOUDOS_APPS_DIR: apps.appsDir, ...docker.env };
  const file = (name: string, text: string) => {
    const p = path.join(root, name);
    writeFileSync(p, `${text}\n`, { mode: 0o600 });
    return p;
  };
  await cli(
    [
      'init',
      '--admin-user',
      OLD_ADMIN.username,
      '--admin-password-file',
      file('password', OLD_ADMIN.password),
      '--passphrase-file',
      file('passphrase', OLD_PASSPHRASE),
    ],
    env,
  );
  await cli(['targets', 'add', 'local', 'nas', '--path', repository], env);
  const backup = async (scope: string[]) =>
    (JSON.parse(await cli(['backup', '--target', 'nas', ...scope, '--json'], env)) as { backupId: string }).backupId;
  fullBackup = await backup(['--full']);
  appsBackup = await backup(['--apps', 'notes']);
  rmSync(dir, { recursive: true, force: true });
});

test.afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

test('a wrong passphrase is refused clearly, and the typed target stays', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/setup$/);
  const setup = new RecoverySetupPage(page);
  await setup.open();
  await setup.fillLocalTarget(repository);
  await setup.passphrase.fill('not the passphrase at all');
  await setup.submit();
  await expect(page.locator('form').getByRole('alert')).toContainText(
    'This passphrase opens none of the 1 key file on this target',
    { timeout: 30_000 },
  );
  await expect(page).toHaveURL(/\/setup\?from=backups$/);
  await expect(setup.directory).toHaveValue(repository);
  // Nothing was set up: the setup page is still there.
  await page.goto('/login');
  await expect(page).toHaveURL(/\/setup$/);
});

test('the setup page restores the old server: its backups, accounts and apps come back', async ({ page }) => {
  test.setTimeout(180_000);
  const setup = new RecoverySetupPage(page);
  await setup.open();
  await setup.fillLocalTarget(repository);
  const steps = await setup.testConnection();
  for (const label of ['Write a probe file', 'Read it back', 'List it', 'Delete it'])
    await expect(steps.getByRole('listitem').filter({ hasText: label })).toHaveText(`${label}: ok`);
  await setup.passphrase.fill(OLD_PASSPHRASE);
  await setup.submit();

  // What was found: the full-system backup first (newest first otherwise), with Restore…; the
  // newer apps-only backup listed, without.
  const found = new RecoveryFoundPage(page);
  await found.expectOpen();
  await expect(page.getByText(/accounts come back with the system part of a full-system backup/)).toBeVisible();
  expect(await found.order()).toEqual([fullBackup, appsBackup]);
  const full = found.entry(fullBackup);
  await expect(full).toContainText('Full system');
  await expect(full).toContainText(/photos/);
  await expect(full).toContainText(/notes/);
  await expect(full).toContainText(/\d+(\.\d+)? [kM]B stored on Backups/);
  await expect(full.locator('time')).toHaveText(/\d{4}/);
  const appsOnly = found.entry(appsBackup);
  await expect(appsOnly).toContainText('Apps only');
  await expect(appsOnly).toContainText('Apps: notes');
  await expect(appsOnly.getByRole('link', { name: 'Restore…' })).toHaveCount(0);
  await full.getByRole('link', { name: 'Restore…' }).click();

  // The wizard in recovery mode: the system part ticked for good, every app ticked.
  await expect(page).toHaveURL(new RegExp(`/backups/${fullBackup}/restore$`));
  await expect(page.getByRole('link', { name: 'Finish the recovery: restore a full-system backup' })).toBeVisible();
  const wizard = new RestoreWizardPage(page);
  await wizard.expectStep(1);
  await wizard.next();
  await wizard.expectStep(2);
  await expect(wizard.system).toBeChecked();
  await expect(wizard.system).toBeDisabled();
  await expect(page.getByText(/Always part of a recovery/)).toBeVisible();
  await expect(wizard.app('photos')).toBeChecked();
  await expect(wizard.app('notes')).toBeChecked();
  await wizard.next();
  await wizard.expectStep(3);
  await wizard.confirm();

  // The job, followed on the page: it ends the recovery session and says how to go on.
  await expect(page.getByText('Restored. Sign in with your old account.')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('restore-outcome-photos')).toContainText('restored');
  await expect(page.getByTestId('restore-outcome-notes')).toContainText('restored');
  expect(existsSync(path.join(server.CLOUDOS_APPS_DIR, 'notes', 'data', 'notes.sqlite'))).toBe(true);
  expect(existsSync(path.join(server.CLOUDOS_APPS_DIR, 'photos', 'config.yml'))).toBe(true);
  await page.getByRole('link', { name: 'Sign in with your old account' }).click();

  await expect(page).toHaveURL(/\/login$/);
  await new LoginPage(page).signIn(OLD_ADMIN.username, OLD_ADMIN.password);
  await expect(page.getByRole('heading', { name: 'Dashboard', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: /Finish the recovery/ })).toHaveCount(0);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backups' }).click();
  await expect(page.getByRole('heading', { name: 'Backups', exact: true })).toBeVisible();
  for (const id of [fullBackup, appsBackup]) await expect(page.locator(`tr[data-backup-id="${id}"]`)).toBeVisible();

  // The old server's targets came back, except that "nas" stores where the one typed at
  // setup does: they are one, under this server's name.
  const targets = new TargetsPage(page);
  await targets.open();
  await expect(targets.table.getByRole('row')).toHaveCount(3); // the header, Backups and Local backups
  await expect(page.getByRole('button', { name: 'Test Local backups', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Test nas', exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: 'Find backups on Backups' }).click();
  const dialog = page.getByRole('dialog', { name: 'Find backups on “Backups”' });
  await dialog.getByRole('button', { name: 'Find backups' }).click();
  await expect(dialog.getByTestId('find-backups-summary')).toHaveText(
    'Imported 0 backups; 2 already in the catalog; 0 refused.',
    { timeout: 30_000 },
  );
});
