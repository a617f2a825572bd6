import { expect, type Locator, type Page } from '@playwright/test';

/** The setup page's "Restore from backups" path. */
export class RecoverySetupPage {
  constructor(private readonly page: Page) {}

  async open() {
    const { page } = this;
    await page.goto('/setup');
    await expect(page.getByRole('heading', { name: /set up Cloud OS Backups/ })).toBeVisible();
    await page.getByRole('navigation', { name: 'How to set up' }).getByRole('link', { name: 'Restore from backups' }).click();
    await expect(page.getByRole('button', { name: 'Restore from these backups' })).toBeVisible();
  }

  get directory(): Locator {
    return this.page.getByRole('textbox', { name: 'Directory' });
  }

  get passphrase(): Locator {
    return this.page.getByLabel('Backup passphrase of the old server');
  }

  async fillLocalTarget(directory: string) {
    await this.page.getByRole('radio', { name: 'Local directory' }).check();
    await this.directory.fill(directory);
  }

  /** Runs "Test connection" and returns its list of steps once the test finished. */
  async testConnection(name = 'Backups'): Promise<Locator> {
    await this.page.getByRole('button', { name: 'Test connection' }).click();
    const steps = this.page.getByRole('list', { name: `Connection test of ${name}` });
    await expect(steps).toBeVisible({ timeout: 30_000 });
    return steps;
  }

  async submit() {
    await this.page.getByRole('button', { name: 'Restore from these backups' }).click();
  }
}

/** /setup/recover: what the recovery found on the target. */
export class RecoveryFoundPage {
  readonly list: Locator;

  constructor(private readonly page: Page) {
    this.list = page.getByRole('list', { name: 'Backups found' });
  }

  async expectOpen() {
    await expect(this.page).toHaveURL(/\/setup\/recover$/, { timeout: 30_000 });
    await expect(this.page.getByRole('heading', { name: 'Backups found' })).toBeVisible();
  }

  entry(backupId: string): Locator {
    return this.list.locator(`li[data-backup-id="${backupId}"]`);
  }

  /** The backup ids in the order the page lists them. */
  async order(): Promise<(string | null)[]> {
    return this.list.locator('li[data-backup-id]').evaluateAll((items) => items.map((li) => li.getAttribute('data-backup-id')));
  }
}

/** The restore wizard (/backups/ID/restore). */
export class RestoreWizardPage {
  readonly system: Locator;

  constructor(private readonly page: Page) {
    this.system = page.getByRole('checkbox', { name: /System settings and user accounts/ });
  }

  app(name: string): Locator {
    return this.page.getByRole('checkbox', { name });
  }

  async expectStep(step: number) {
    await expect(this.page.getByText(`Step ${step} of 3`)).toBeVisible();
  }

  async next() {
    await this.page.getByRole('button', { name: 'Next' }).click();
  }

  /** The last step's button ("Restore 2 apps and system settings"). */
  async confirm() {
    await this.page.getByRole('button', { name: /^Restore / }).click();
  }
}
