import { expect, test } from '@playwright/test';
import { ADMIN, LoginPage, SetupPage } from './pages/auth-pages';

// One instance, used in order: first-run setup happens once.
test.describe.configure({ mode: 'serial' });

test('health is public, the API needs a session', async ({ request }) => {
  const health = await request.get('/api/healthz');
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ db: 'ok', worker: { lastHeartbeatAgeSeconds: expect.any(Number) } });
  const jobs = await request.get('/api/jobs');
  expect(jobs.status()).toBe(401);
  expect(await jobs.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
});

test('first-run setup, sign-in, a self-test with live progress, sign-out', async ({ page }) => {
  await page.goto('/jobs');
  await expect(page).toHaveURL(/\/setup$/);
  await new SetupPage(page).completeWithOwnPassphrase();
  await expect(page).toHaveURL(/\/login$/);

  const login = new LoginPage(page);
  await login.signIn(ADMIN.username, 'not the password');
  await expect(page.locator('form').getByRole('alert')).toHaveText('Invalid username or password.');
  await login.signIn(ADMIN.username, ADMIN.password);
  await expect(page.getByRole('heading', { name: 'Dashboard', exact: true })).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  await expect(page.getByRole('heading', { name: 'Jobs', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Run self-test' }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  const bar = page.getByRole('progressbar', { name: 'Job progress' });
  // Progress arrives over SSE while the worker runs the job; the bar must pass through
  // intermediate values before it reaches 100.
  await expect(bar).toHaveAttribute('aria-valuenow', /^([1-9]|[1-9][0-9])$/);
  await expect(bar).toHaveAttribute('aria-valuenow', '100', { timeout: 30_000 });
  await expect(page.getByText('succeeded', { exact: true })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Job log' })).toContainText('Self-test step 10 of 10 done.');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Targets' }).click();
  await expect(page.getByRole('table', { name: 'Backup targets' })).toContainText('Local backups');

  await page.goto('/jobs');
  await expect(page.getByRole('table', { name: 'Recent jobs' })).toContainText('succeeded');

  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/jobs');
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/setup');
  await expect(page).toHaveURL(/\/login$/);
});

test('the app is usable on a phone', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto('/login');
  await new LoginPage(page).signIn(ADMIN.username, ADMIN.password);
  await expect(page.getByRole('heading', { name: 'Dashboard', exact: true })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeHidden();
  await page.getByRole('button', { name: 'Open menu' }).click();
  await nav.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', exact: true })).toBeVisible();
  await expect(nav).toBeHidden();
  await context.close();
});

// Last: it locks the test client's address out of sign-in for a minute.
test('repeated wrong passwords are rate-limited with Retry-After', async ({ request }) => {
  // The failed sign-in of the first test counts too: the limit is 5 failures per minute.
  const statuses: number[] = [];
  for (let i = 0; i < 5 && !statuses.includes(429); i += 1) {
    const wrong = await request.post('/api/auth/login', { data: { username: ADMIN.username, password: 'wrong password' } });
    statuses.push(wrong.status());
    if (wrong.status() === 401) expect((await wrong.json()).error.message).toBe('Invalid username or password.');
  }
  expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(4);
  const limited = await request.post('/api/auth/login', { data: { username: ADMIN.username, password: ADMIN.password } });
  expect(limited.status()).toBe(429);
  expect(Number(limited.headers()['retry-after'])).toBeGreaterThan(0);
  expect((await limited.json()).error.code).toBe('rate_limited');
});
