import { expect, type Page } from '@playwright/test';

export const ADMIN = { username: 'admin', password: 'correct horse battery staple' };
export const PASSPHRASE = 'my long backup passphrase';

export class SetupPage {
  constructor(private readonly page: Page) {}

  async completeWithOwnPassphrase() {
    const { page } = this;
    await expect(page.getByRole('heading', { name: /set up Cloud OS Backups/ })).toBeVisible();
    await page.getByLabel('Admin username').fill(ADMIN.username);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Confirm password').fill(ADMIN.password);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Confirm passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create admin account' }).click();
    await expect(page.getByText(`The admin account “${ADMIN.username}” is ready.`)).toBeVisible();
    await page.getByRole('link', { name: 'Continue to sign in' }).click();
  }
}

export class LoginPage {
  constructor(private readonly page: Page) {}

  async signIn(username: string, password: string) {
    const { page } = this;
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
}
