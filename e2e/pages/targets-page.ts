import { expect, type Locator, type Page } from '@playwright/test';

export class TargetsPage {
  readonly table: Locator;

  constructor(private readonly page: Page) {
    this.table = page.getByRole('table', { name: 'Backup targets' });
  }

  async open() {
    await this.page.goto('/targets');
    await expect(this.page.getByRole('heading', { name: 'Targets', exact: true })).toBeVisible();
  }

  row(name: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('cell', { name, exact: false }) });
  }

  /** Runs "Test connection" and returns the list of steps once the test finished. */
  async test(name: string): Promise<Locator> {
    await this.page.getByRole('button', { name: `Test ${name}`, exact: true }).click();
    await expect(this.page.getByRole('heading', { name: `Connection test of “${name}”` })).toBeVisible({ timeout: 45_000 });
    return this.page.getByRole('list', { name: `Connection test of ${name}` });
  }

  async expectAllStepsPassed(steps: Locator) {
    for (const label of ['Write a probe file', 'Read it back', 'List it', 'Delete it'])
      await expect(steps.getByRole('listitem').filter({ hasText: label })).toHaveText(`${label}: ok`);
  }
}
