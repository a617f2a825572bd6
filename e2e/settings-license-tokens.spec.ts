import { expect, type Page, test } from '@playwright/test';
import { issueTestLicense } from './pages/license';
import { signedInSpec } from './pages/session';

test.describe.configure({ mode: 'serial' });

signedInSpec();

const licenseRegion = (page: Page) => page.getByRole('region', { name: /^License/ });
const tokensRegion = (page: Page) => page.getByRole('region', { name: 'API tokens' });

test('license: a tampered or expired one is refused, a pasted Pro+ one shows plan, features and expiry, then is removed', async ({
  page,
}) => {
  await page.goto('/settings');
  const region = licenseRegion(page);
  await expect(region.getByRole('heading', { name: 'License Free' })).toBeVisible();
  await expect(region).toContainText('No license is installed: the Free plan applies.');
  const box = region.getByLabel('License', { exact: true });
  const install = region.getByRole('button', { name: 'Install license' });

  const good = issueTestLicense('Pro+');
  const [prefix, payload, signature] = good.split('.');
  const json = Buffer.from(payload ?? '', 'base64url')
    .toString('utf8')
    .replace('E2E Household', 'E2E Mallory');
  await box.fill(`${prefix}.${Buffer.from(json).toString('base64url')}.${signature}`);
  await install.click();
  await expect(region.getByRole('alert')).toHaveText(
    'The license signature does not match its contents: it was changed after it was issued. Paste it again exactly as you received it.',
  );
  await expect(box).toHaveAttribute('aria-invalid', 'true');

  await box.fill(issueTestLicense('Pro+', { issuedDaysAgo: 30, days: -1 }));
  await install.click();
  await expect(region.getByRole('alert')).toHaveText(/^This license expired on \d{4}-\d\d-\d\d\. Nothing was installed\.$/);
  await expect(region.getByRole('heading', { name: 'License Free' })).toBeVisible();

  // Pasted as an e-mail would wrap it.
  await box.fill(good.match(/.{1,64}/g)?.join('\n') ?? good);
  await install.click();
  await expect(page.getByText('Pro+ license for E2E Household installed.')).toBeVisible();
  await page.reload();
  await expect(region.getByRole('heading', { name: 'License Pro+' })).toBeVisible();
  const details = region.getByRole('definition');
  await expect(details.nth(0)).toHaveText('E2E Household');
  await expect(details.nth(1)).toHaveText('Pro+');
  await expect(details.nth(2)).toContainText('Backup verification backup_verification');
  await expect(details.nth(2)).toContainText('Priority support priority_support');
  const expiry = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
  await expect(region.getByTestId('license-expiry')).toHaveText(new RegExp(`^${expiry} \\(in (399|400) days\\)$`));

  await region.getByRole('button', { name: 'Remove license' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove the license?' });
  await dialog.getByRole('button', { name: 'Remove license' }).click();
  await expect(dialog).toBeHidden();
  await expect(region.getByRole('heading', { name: 'License Free' })).toBeVisible();
});

test('API token: shown once, opens /api but no page, recorded as used, refused once revoked', async ({ page, request }) => {
  await page.goto('/settings');
  const region = tokensRegion(page);
  await expect(region).toContainText('No API tokens yet.');
  await region.getByLabel('Token name').fill('e2e script');
  await region.getByRole('button', { name: 'Create token' }).click();
  const shown = region.getByTestId('new-api-token');
  await expect(shown).toHaveText(/^cob_[A-Za-z0-9_-]{43}$/);
  const token = (await shown.textContent()) ?? '';
  await expect(region.getByText('Token “e2e script” created. Copy it now: it will not be shown again.')).toBeVisible();
  const row = region.getByRole('row', { name: /e2e script/ });
  await expect(row).toContainText('never');

  // `request` is its own context without the page's session cookie: only the token counts.
  const auth = { authorization: `Bearer ${token}` };
  const jobs = await request.get('/api/jobs', { headers: auth });
  expect(jobs.status()).toBe(200);
  expect(await jobs.json()).toEqual({ jobs: expect.any(Array) });
  expect((await request.get('/api/jobs')).status()).toBe(401);
  // Pages take only a session: a token sends the browser to sign in.
  const settings = await request.get('/settings', { headers: auth, maxRedirects: 0 });
  expect(settings.status()).toBe(307);
  expect(settings.headers().location).toMatch(/\/login$/);

  await region.getByRole('button', { name: 'Done' }).click();
  await expect(shown).toBeHidden();
  await page.reload();
  await expect(row).toContainText('just now');
  await expect(row).not.toContainText('never');
  expect(await page.content()).not.toContain(token);

  await region.getByRole('button', { name: 'Revoke e2e script' }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke API token “e2e script”?' });
  await dialog.getByRole('button', { name: 'Revoke token' }).click();
  await expect(page.getByText('API token “e2e script” revoked.')).toBeVisible();
  await expect(region).toContainText('No API tokens yet.');

  const refused = await request.get('/api/jobs', { headers: auth });
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toEqual({
    error: { code: 'unauthenticated', message: 'The API token is not valid: it is unknown or was revoked.' },
  });
  await page.reload();
  expect(await page.content()).not.toContain(token);
});
