import { expect, type Page, test } from '@playwright/test';
import { issueTestLicense } from './pages/license';
import { signedInSpec, signIn } from './pages/session';

test.describe.configure({ mode: 'serial' });

const CHECKS = ['size', 'integrity', 'dry-run', 'staleness'] as const;
const NEEDS_PRO_PLUS = 'Backup verification checks need a Pro+ license — Settings → License';
// Where the health reasons send the user to fix them (docs/VERIFICATION.md, "The score").
const FIX_PATH = /^\/(backups\/new|backups\/[0-9a-f]{32}|schedules|targets\/[0-9a-f-]+\/edit)$/;

let backupId = '';

// A dry run reads the whole backup.
signedInSpec(240_000);
// The specs share one server: leave it without a license, as found.
test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page);
  await removeLicense(page);
  await page.close();
});

const licenseRegion = (page: Page) => page.getByRole('region', { name: /^License/ });

async function removeLicense(page: Page): Promise<void> {
  await page.goto('/settings');
  const region = licenseRegion(page);
  const remove = region.getByRole('button', { name: 'Remove license' });
  if ((await remove.count()) === 0) return;
  await remove.click();
  await page.getByRole('dialog', { name: 'Remove the license?' }).getByRole('button', { name: 'Remove license' }).click();
  await expect(region.getByRole('heading', { name: 'License Free' })).toBeVisible();
}

async function installProPlus(page: Page): Promise<void> {
  await removeLicense(page);
  const region = licenseRegion(page);
  await region.getByLabel('License', { exact: true }).fill(issueTestLicense('Pro+'));
  await region.getByRole('button', { name: 'Install license' }).click();
  await expect(page.getByText('Pro+ license for E2E Household installed.')).toBeVisible();
}

/** The verify jobs the server knows, through the API with the page's session. */
async function verifyJobIds(page: Page): Promise<string[]> {
  const response = await page.request.get('/api/jobs?limit=500');
  expect(response.status()).toBe(200);
  const { jobs } = (await response.json()) as { jobs: { id: string; type: string }[] };
  return jobs.filter((j) => j.type === 'verify').map((j) => j.id);
}

const historyRow = (page: Page) => page.locator(`tr[data-backup-id="${backupId}"]`);

/** Pro+ installed and the history shown; returns the verify jobs known before the test acts. */
async function historyWithProPlus(page: Page): Promise<string[]> {
  expect(backupId).not.toBe('');
  await installProPlus(page);
  const before = await verifyJobIds(page);
  await page.goto('/backups');
  return before;
}

test('without a license, "Run checks…" explains the Pro+ requirement and queues nothing', async ({ page }) => {
  await removeLicense(page);
  // A full backup: its apps hold SQLite databases for the dry run to check, and its many
  // files make the checks last long enough to watch them finish one by one.
  await page.goto('/backups/new');
  await page.getByLabel('Full system').check();
  await page.getByRole('button', { name: 'Start backup' }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByText('succeeded', { exact: true })).toBeVisible({ timeout: 120_000 });
  await page.getByRole('link', { name: 'View the backup' }).click();
  await expect(page).toHaveURL(/\/backups\/[0-9a-f]{32}$/);
  backupId = page.url().split('/').pop() as string;
  await expect(page.getByRole('region', { name: 'Verification checks' })).toContainText(
    'No verification checks have run on this backup yet',
  );

  const before = await verifyJobIds(page);
  await page.goto('/backups');
  await historyRow(page).getByRole('button', { name: 'Run checks…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Run verification checks' });
  await expect(dialog.getByTestId('license-needed')).toContainText(NEEDS_PRO_PLUS);
  await expect(dialog.getByTestId('license-needed')).toContainText('No license is installed');
  await expect(dialog.getByRole('link', { name: 'Settings → License' })).toHaveAttribute('href', '/settings#license');
  await expect(dialog.getByRole('button', { name: 'Run checks' })).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  // The same on the backup's page, next to the free Verify.
  await page.goto(`/backups/${backupId}`);
  await expect(page.getByRole('button', { name: 'Verify', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Run checks…' }).click();
  await expect(page.getByRole('dialog', { name: 'Run verification checks' })).toContainText(NEEDS_PRO_PLUS);
  await page.getByRole('dialog').getByRole('link', { name: 'Settings → License' }).click();
  await expect(page).toHaveURL(/\/settings#license$/);
  await expect(licenseRegion(page).getByRole('heading', { name: 'License Free' })).toBeVisible();

  // The health score is free: knowing that backups are stale is no premium feature.
  await page.goto('/');
  await expect(page.getByTestId('health-score')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Backup health' }).getByTestId('license-needed')).toHaveCount(0);
  expect(await verifyJobIds(page)).toEqual(before);
});

test('a license removed after the page was shown: the server refuses, the dialog says why, nothing is queued', async ({
  page,
}) => {
  const before = await historyWithProPlus(page);
  const other = await page.context().newPage();
  await removeLicense(other);
  await other.close();

  await historyRow(page).getByRole('button', { name: 'Run checks…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Run verification checks' });
  await dialog.getByRole('checkbox', { name: /Dry-run restore/ }).check();
  await dialog.getByRole('button', { name: 'Run checks' }).click();
  await expect(dialog.getByTestId('license-needed')).toContainText(NEEDS_PRO_PLUS);
  await expect(dialog.getByTestId('license-needed')).toContainText('No license is installed');
  await expect(dialog.getByRole('button', { name: 'Run checks' })).toHaveCount(0);
  await expect(page).toHaveURL(/\/backups$/);
  expect(await verifyJobIds(page)).toEqual(before);
});

test('with Pro+, checks with a dry-run restore from the history: each passes live on the job page, then on the backup page and the row; a second request is refused while it runs', async ({
  page,
}) => {
  const before = await historyWithProPlus(page);
  // A second tab, ready to ask for the same backup while the first verification runs.
  const second = await page.context().newPage();
  await second.goto('/backups');
  await historyRow(second).getByRole('button', { name: 'Run checks…' }).click();

  await historyRow(page).getByRole('button', { name: 'Run checks…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Run verification checks' });
  await dialog.getByRole('checkbox', { name: /Dry-run restore/ }).check();
  await dialog.getByRole('button', { name: 'Run checks' }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);

  const secondDialog = second.getByRole('dialog', { name: 'Run verification checks' });
  await secondDialog.getByRole('button', { name: 'Run checks' }).click();
  await expect(secondDialog.getByRole('alert')).toHaveText(
    `Backup ${backupId} is already being verified; wait for that verification to end or cancel its job.`,
  );
  await expect(second).toHaveURL(/\/backups$/);
  await second.close();
  expect(await verifyJobIds(page)).toHaveLength(before.length + 1);
  const jobUrl = new URL(page.url()).pathname;
  const result = page.getByRole('region', { name: 'Verification result' });
  const resultOf = (name: (typeof CHECKS)[number]) =>
    result.getByTestId(`verification-check-${name}`).getByTestId('check-result');
  // Shown from the start, and live: the size check's result is there while integrity still runs.
  await expect(result.getByRole('list', { name: 'Verification checks' }).getByRole('listitem')).toHaveCount(4);
  await expect(resultOf('integrity')).toHaveText('running', { timeout: 60_000 });
  await expect(resultOf('size')).toHaveText('pass');
  await expect(resultOf('staleness')).toHaveText('waiting');
  await expect(page.getByText('succeeded', { exact: true })).toBeVisible({ timeout: 180_000 });
  await expect(result.getByTestId('verification-state')).toHaveText('passed');
  await expect(result).toContainText('with a dry-run restore');
  for (const name of CHECKS) {
    await expect(resultOf(name)).toHaveText('pass');
    await expect(result.getByTestId(`verification-check-${name}`).getByTestId('check-duration')).toHaveText(/^\d+ (ms|s)$|min/);
  }
  await expect(result.getByTestId('verification-check-dry-run')).toContainText('SQLite');

  await result.getByRole('link', { name: 'View the backup' }).click();
  await expect(page).toHaveURL(new RegExp(`/backups/${backupId}$`));
  const card = page.getByRole('region', { name: 'Verification checks' });
  await expect(card.getByTestId('latest-verification-state')).toHaveText('passed');
  await expect(card.getByTestId('latest-verification-when')).toHaveText('verified just now');
  await expect(card).toContainText('with a dry-run restore, started by admin');
  for (const name of CHECKS)
    await expect(card.getByTestId(`verification-check-${name}`).getByTestId('check-result')).toHaveText('pass');
  await expect(card.getByRole('link', { name: 'Open its job' })).toHaveAttribute('href', jobUrl);
  // The integrity check is the manual verify's: the backup's own "verified" line follows it.
  await expect(page.getByTestId('backup-verification')).toHaveText('verified just now: ok');

  await page.goto('/backups');
  await expect(historyRow(page).getByTestId('backup-verification')).toHaveText('verified just now: ok');
  await expect(historyRow(page).getByTestId('verification-state')).toHaveText('checks passed just now');
  await expect(historyRow(page).getByTestId('verification-state')).toHaveAttribute('href', jobUrl);
});

test('the dashboard shows the health score with its reasons, each linking where to fix it, also on a phone', async ({
  page,
  browser,
}) => {
  await installProPlus(page);
  await page.goto('/');
  const health = page.getByRole('region', { name: 'Backup health' });
  await expect(health.getByTestId('health-score')).toHaveText(/^\d{1,3} \/ 100$/);
  const score = Number((await health.getByTestId('health-score').textContent())?.split(' ')[0]);
  await expect(health.getByTestId('health-grade')).toHaveText(/^(good|fair|poor|critical)$/);
  await expect(health.getByTestId('last-success-overall')).toContainText('just now on Local backups');
  for (const app of ['documents', 'notes', 'photos'])
    await expect(page.getByRole('region', { name: 'Last backup per app' })).toContainText(app);
  await expect(page.getByRole('region', { name: 'Recent failures' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Next scheduled runs' })).toBeVisible();

  // The fixture's broken app was never backed up: at least that reason is listed.
  const reasons = health.getByRole('list', { name: 'What lowers the score' }).getByRole('listitem');
  await expect(reasons.filter({ hasText: 'The app "broken" has never been backed up.' })).toHaveCount(1);
  const weights = await reasons.evaluateAll((items) => items.map((li) => li.firstElementChild?.textContent ?? ''));
  const lost = weights.reduce((sum, w) => sum + (w.startsWith('−') ? Number(w.slice(1)) : 0), 0);
  expect(score).toBe(Math.max(0, 100 - lost));

  const links = health.getByRole('list', { name: 'What lowers the score' }).getByRole('link');
  const hrefs = [...new Set(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? '')))];
  expect(hrefs.length).toBeGreaterThan(0);
  for (const href of hrefs) expect(href).toMatch(FIX_PATH);
  await links.filter({ hasText: 'The app "broken" has never been backed up.' }).click();
  await expect(page).toHaveURL(/\/backups\/new$/);
  await expect(page.getByRole('heading', { name: 'Backup now' })).toBeVisible();
  for (const href of hrefs) {
    const response = await page.goto(href);
    expect(response?.status(), href).toBe(200);
    await expect(page.getByRole('heading', { name: 'Not found' })).toHaveCount(0);
  }

  // Readable on a phone: the score and its reasons, nothing wider than the screen.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const small = await phone.newPage();
  await signIn(small);
  await small.goto('/');
  await expect(small.getByTestId('health-score')).toBeVisible();
  await expect(small.getByRole('list', { name: 'What lowers the score' })).toBeVisible();
  const overflow = await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await phone.close();
});
