import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { createRemoteDir, createTestBucket, startRadosgw, startSshd } from '../test/helpers/services';
import { ensureSetUp, signIn } from './pages/session';
import { TargetsPage } from './pages/targets-page';

test.describe.configure({ mode: 'serial' });

const localDir = mkdtempSync(path.join(tmpdir(), 'cloudos-e2e-target-'));
let sftp: { SFTP_HOST: string; SFTP_PORT: string; SFTP_USERNAME: string; SFTP_PASSWORD: string };
let remoteDir: string;
const OLD_KEY = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  const settings = startSshd();
  remoteDir = createRemoteDir(settings, 'e2e');
  const get = (key: string) => settings[key] ?? '';
  sftp = {
    SFTP_HOST: get('SFTP_HOST'),
    SFTP_PORT: get('SFTP_PORT'),
    SFTP_USERNAME: get('SFTP_USERNAME'),
    SFTP_PASSWORD: get('SFTP_PASSWORD'),
  };
  const page = await browser.newPage();
  await ensureSetUp(page);
  await page.close();
});
test.afterAll(() => {
  rmSync(localDir, { recursive: true, force: true });
  rmSync(remoteDir, { recursive: true, force: true });
});
test.beforeEach(async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
});

test('add a local target: a relative path is refused beside the field, the fixed one is listed', async ({ page }) => {
  const targets = new TargetsPage(page);
  await targets.open();
  await page.getByRole('link', { name: 'Add target' }).click();
  await expect(page.getByRole('heading', { name: 'Add target' })).toBeVisible();
  await page.getByLabel('Local directory').check();
  await page.getByLabel('Name', { exact: true }).fill('E2E disk');
  const directory = page.getByLabel('Directory', { exact: true });
  await directory.fill('relative/backups');
  await page.getByRole('button', { name: 'Add target' }).click();
  await expect(directory).toHaveAttribute('aria-invalid', 'true');
  await expect(directory).toHaveAccessibleDescription(/The directory must be an absolute path, like \/mnt\/backups\./);
  // What the user typed survives the refused submit.
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('E2E disk');

  await directory.fill(localDir);
  await page.getByRole('button', { name: 'Add target' }).click();
  await expect(page).toHaveURL(/\/targets$/);
  await expect(targets.row('E2E disk')).toContainText(localDir);
  await expect(targets.row('E2E disk')).toContainText('not tested');
});

test('test the local target step by step, then edit it', async ({ page }) => {
  const targets = new TargetsPage(page);
  await targets.open();
  await targets.expectAllStepsPassed(await targets.test('E2E disk'));
  await expect(targets.row('E2E disk')).toContainText('passed');

  await page.getByRole('link', { name: 'Edit E2E disk' }).click();
  await expect(page.getByRole('heading', { name: 'Edit “E2E disk”' })).toBeVisible();
  await expect(page.getByLabel('Directory', { exact: true })).toHaveValue(localDir);
  await page.getByLabel('Name', { exact: true }).fill('E2E disk renamed');
  await page.getByLabel('Keep last (optional)').fill('0');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByLabel('Keep last (optional)')).toHaveAccessibleDescription(/whole number of backups from 1/);
  await page.getByLabel('Keep last (optional)').fill('5');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/targets$/);
  await expect(targets.row('E2E disk renamed')).toContainText('passed');
  await expect(targets.table).not.toContainText(/E2E disk(?! renamed)/);
});

test('add an SFTP target with a password and test it against the real sshd', async ({ page }) => {
  const targets = new TargetsPage(page);
  await page.goto('/targets/new');
  await page.getByLabel('SFTP server').check();
  await page.getByLabel('Name', { exact: true }).fill('E2E NAS');
  await page.getByLabel('Host').fill(sftp.SFTP_HOST);
  await expect(page.getByLabel('Port')).toHaveValue('22');
  await page.getByLabel('Port').fill(sftp.SFTP_PORT);
  await page.getByLabel('Username').fill(sftp.SFTP_USERNAME);
  await page.getByLabel('Password', { exact: true }).fill(sftp.SFTP_PASSWORD);
  await page.getByLabel('Remote directory').fill(remoteDir);
  await page.getByRole('button', { name: 'Add target' }).click();
  await expect(page).toHaveURL(/\/targets$/);
  await expect(targets.row('E2E NAS')).toContainText(`${sftp.SFTP_USERNAME}@${sftp.SFTP_HOST}:${sftp.SFTP_PORT}${remoteDir}`);
  // The password was never sent back to the browser.
  expect(await page.content()).not.toContain(sftp.SFTP_PASSWORD);

  await targets.expectAllStepsPassed(await targets.test('E2E NAS'));
  await expect(targets.row('E2E NAS')).toContainText('passed');
});

test('a changed SFTP host key is refused until the user trusts the new one', async ({ page }) => {
  // The shared sshd keeps its key; a reinstalled server is simulated by pinning another one.
  const db = new Database(path.join(process.env.E2E_DATA_DIR ?? '', 'cloudos.db'));
  const { hostKeySha256: realKey } = db.prepare('SELECT hostKeySha256 FROM Target WHERE name = ?').get('E2E NAS') as {
    hostKeySha256: string;
  };
  expect(realKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  db.prepare('UPDATE Target SET hostKeySha256 = ? WHERE name = ?').run(OLD_KEY, 'E2E NAS');
  db.close();

  const targets = new TargetsPage(page);
  await targets.open();
  const steps = await targets.test('E2E NAS');
  await expect(steps.getByRole('listitem').filter({ hasText: 'Write a probe file' })).toContainText('failed');
  const warning = page.getByRole('status').filter({ hasText: "The server's host key changed." });
  await expect(warning).toContainText(`Trusted until now: SHA256:${OLD_KEY}`);
  await expect(warning).toContainText(`Presented now: SHA256:${realKey}`);
  await warning.getByRole('button', { name: 'Trust the new key' }).click();
  // Trusting re-runs the test, which now passes.
  await targets.expectAllStepsPassed(steps);
  await expect(warning).toBeHidden();
});

test('an S3 target over HTTPS with a self-signed certificate works once its CA certificate is pasted', async ({ page }) => {
  const s3 = startRadosgw();
  const bucket = await createTestBucket(s3, 'e2e-tls');
  const targets = new TargetsPage(page);
  await page.goto('/targets/new');
  await page.getByLabel('S3-compatible storage').check();
  await page.getByLabel('Name', { exact: true }).fill('E2E MinIO');
  await page.getByLabel('Endpoint', { exact: true }).fill(s3.S3_TLS_ENDPOINT ?? '');
  await page.getByLabel('Bucket', { exact: true }).fill(bucket);
  await page.getByLabel('Access key ID', { exact: true }).fill(s3.S3_ACCESS_KEY_ID ?? '');
  await page.getByLabel('Secret access key', { exact: true }).fill(s3.S3_SECRET_ACCESS_KEY ?? '');
  const ca = page.getByLabel('CA certificate (optional)');
  await ca.fill('my home CA');
  await page.getByRole('button', { name: 'Add target' }).click();
  await expect(ca).toHaveAttribute('aria-invalid', 'true');
  await expect(ca).toHaveAccessibleDescription(/Paste the CA certificate in PEM form \(-----BEGIN CERTIFICATE----- …\)\./);
  await ca.fill('');
  await page.getByRole('button', { name: 'Add target' }).click();
  await expect(page).toHaveURL(/\/targets$/);

  // Without the CA the server's certificate is not trusted: the test says so and how to fix it.
  const steps = await targets.test('E2E MinIO');
  const write = steps.getByRole('listitem').filter({ hasText: 'Write a probe file' });
  await expect(write).toContainText('Write a probe file: failed');
  await expect(write).toContainText(
    `The S3 endpoint ${s3.S3_TLS_ENDPOINT} presented a certificate this server does not trust (self-signed certificate).`,
  );

  const pem = readFileSync(s3.S3_TLS_CA ?? '', 'utf8');
  await page.goto('/targets');
  await page.getByRole('link', { name: 'Edit E2E MinIO' }).click();
  await page.getByLabel('CA certificate (optional)').fill(pem);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/targets$/);
  await targets.expectAllStepsPassed(await targets.test('E2E MinIO'));
  expect(await page.content()).not.toContain(s3.S3_SECRET_ACCESS_KEY);

  // The certificate is shown back on edit; emptying the field removes it again.
  await page.goto('/targets');
  await page.getByRole('link', { name: 'Edit E2E MinIO' }).click();
  await expect(page.getByLabel('CA certificate (optional)')).toHaveValue(`${pem.trim()}\n`);
  await page.getByLabel('CA certificate (optional)').fill('');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/targets$/);
  const db = new Database(path.join(process.env.E2E_DATA_DIR ?? '', 'cloudos.db'), { readonly: true });
  const { config } = db.prepare('SELECT config FROM Target WHERE name = ?').get('E2E MinIO') as { config: string };
  db.close();
  expect(JSON.parse(config)).not.toHaveProperty('caCertificate');

  await page.getByRole('button', { name: 'Delete E2E MinIO' }).click();
  await page.getByRole('dialog', { name: 'Delete target “E2E MinIO”?' }).getByRole('button', { name: 'Delete target' }).click();
  await expect(targets.table).not.toContainText('E2E MinIO');
});

test('delete targets: plainly, and together with their catalog backups', async ({ page }) => {
  const targets = new TargetsPage(page);
  await targets.open();
  await page.getByRole('button', { name: 'Delete E2E disk renamed' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete target “E2E disk renamed”?' });
  await expect(dialog).toContainText('No backups in the catalog use this target.');
  await dialog.getByRole('button', { name: 'Delete target' }).click();
  await expect(dialog).toBeHidden();
  await expect(targets.table).not.toContainText('E2E disk renamed');

  // Catalog rows written straight into the database: quicker than two real backups to the NAS.
  const db = new Database(path.join(process.env.E2E_DATA_DIR ?? '', 'cloudos.db'));
  const { id } = db.prepare('SELECT id FROM Target WHERE name = ?').get('E2E NAS') as { id: string };
  const insert = db.prepare(
    "INSERT INTO Backup (id, targetId, scope, apps, status, objectKey, startedAt) VALUES (?, ?, 'full', '[]', 'succeeded', ?, ?)",
  );
  insert.run('e2e-backup-1', id, 'archives/e2e-1', '2026-01-01T00:00:00.000Z');
  insert.run('e2e-backup-2', id, 'archives/e2e-2', '2026-01-02T00:00:00.000Z');
  db.close();

  mkdirSync(path.join(remoteDir, 'archives'));
  writeFileSync(path.join(remoteDir, 'archives', 'e2e-1'), 'stored backup');
  await page.getByRole('button', { name: 'Delete E2E NAS' }).click();
  const nasDialog = page.getByRole('dialog', { name: 'Delete target “E2E NAS”?' });
  await expect(nasDialog).toContainText('2 backups in the catalog use this target');
  await nasDialog
    .getByRole('button', { name: 'Delete and forget its 2 backups from the catalog (the files on the target stay)' })
    .click();
  await expect(nasDialog).toBeHidden();
  await expect(targets.table).not.toContainText('E2E NAS');
  const after = new Database(path.join(process.env.E2E_DATA_DIR ?? '', 'cloudos.db'), { readonly: true });
  // Only the NAS's rows go; backups.spec.ts may have left backups on other targets.
  expect(after.prepare('SELECT count(*) AS n FROM Backup WHERE targetId = ?').get(id)).toEqual({ n: 0 });
  after.close();
  // Deleting a target leaves what is stored on it alone.
  expect(readFileSync(path.join(remoteDir, 'archives', 'e2e-1'), 'utf8')).toBe('stored backup');
});
