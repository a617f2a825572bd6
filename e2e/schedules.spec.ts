import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type Locator, test } from '@playwright/test';
import { signedInSpec } from './pages/session';

test.describe.configure({ mode: 'serial' });

const dataDir = process.env.E2E_DATA_DIR ?? '';

signedInSpec(120_000);

/** "Sun, 29 Nov 2026, 02:00 CET": a wall-clock time in Berlin (CET or CEST, as the server's ICU names them). */
const berlinTime = (weekday: string, time: string) =>
  new RegExp(`^${weekday}, \\d{1,2} [A-Z][a-z]{2} \\d{4}, ${time} (CET|CEST|GMT\\+1|GMT\\+2)$`);

async function nextRuns(scope: Locator): Promise<string[]> {
  const items = scope.getByRole('listitem');
  await expect(items).toHaveCount(5);
  return items.allInnerTexts();
}

/** The archives on the default local target (none yet when this spec runs alone). */
function storedArchives(): string[] {
  const dir = path.join(dataDir, 'backups', 'archives');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cob')) : [];
}

test('schedules: create from a preset with its next runs, edit, disable, run now, see the history and the retention preview', async ({
  page,
}) => {
  // The instance time zone is a setting; every time below is read in it.
  await page.goto('/backups');
  await page.getByRole('link', { name: 'Schedules' }).first().click();
  await expect(page.getByRole('heading', { name: 'Schedules', exact: true })).toBeVisible();
  await page.getByLabel('Time zone').selectOption('Europe/Berlin');
  await page.getByLabel('Grace window for missed runs (minutes)').fill('soon');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('The grace window must be a whole number of minutes')).toBeVisible();
  await page.getByLabel('Grace window for missed runs (minutes)').fill('30');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Schedule settings saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Berlin');
  await expect(page.getByLabel('Grace window for missed runs (minutes)')).toHaveValue('30');

  // Create from the weekly preset: its meaning and next five Sundays at 02:00 show at once.
  await page.getByRole('link', { name: 'New schedule' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Nightly photos');
  const cron = page.getByLabel('Cron expression');
  const preview = page.getByRole('region', { name: 'Schedule preview' });
  await page.getByRole('button', { name: 'Weekly' }).click();
  await expect(cron).toHaveValue('0 2 * * 0');
  await expect(page.getByRole('button', { name: 'Weekly' })).toHaveAttribute('aria-pressed', 'true');
  await expect(preview.getByTestId('cron-description')).toHaveText('Every Sunday at 02:00');
  await expect(preview).toContainText('Next runs (Europe/Berlin)');
  for (const run of await nextRuns(preview.getByRole('list', { name: 'Next runs' })))
    expect(run).toMatch(berlinTime('Sun', '02:00'));

  // A custom expression is checked while typing, with croner's reason.
  await cron.fill('61 * * * *');
  await expect(preview).toContainText('"61 * * * *" is not a valid cron expression');
  await expect(cron).toHaveAttribute('aria-invalid', 'true');
  await cron.fill('30 3 * * 1-5');
  await expect(preview.getByTestId('cron-description')).toHaveText('Every Monday to Friday at 03:30');
  await page.getByRole('button', { name: 'Daily' }).click();
  await expect(preview.getByTestId('cron-description')).toHaveText('Every day at 02:00');
  for (const run of await nextRuns(preview.getByRole('list', { name: 'Next runs' })))
    expect(run).toMatch(berlinTime('[A-Z][a-z]{2}', '02:00'));

  await page.getByLabel('Chosen apps').check();
  await page.getByRole('checkbox', { name: 'photos' }).check();
  await page.getByLabel('Keep last', { exact: true }).fill('two');
  await page.getByRole('button', { name: 'Create schedule' }).click();
  await expect(page.getByText('Keep last must be a whole number from 0 to 10000')).toBeVisible();
  await page.getByLabel('Keep last', { exact: true }).fill('2');
  await page.getByRole('button', { name: 'Create schedule' }).click();
  await expect(page).toHaveURL(/\/schedules\/[0-9a-f-]{36}$/);
  const scheduleUrl = page.url();
  const details = page.getByRole('region', { name: 'Schedule details' });
  await expect(page.getByRole('heading', { name: 'Nightly photos' })).toBeVisible();
  await expect(details).toContainText('Every day at 02:00');
  await expect(details).toContainText('photos');
  await expect(details).toContainText('Local backups');
  await expect(details).toContainText('Keep last 2');
  await expect(details).toContainText('Europe/Berlin');
  await nextRuns(page.getByRole('region', { name: 'Next runs' }));
  await expect(page.getByRole('region', { name: 'History' })).toContainText('It has not been due yet.');

  // Edit: another time and a daily rule; the list shows both in plain words.
  await page.getByRole('link', { name: 'Edit Nightly photos' }).click();
  await expect(page.getByLabel('Cron expression')).toHaveValue('0 2 * * *');
  await page.getByLabel('Cron expression').fill('30 3 * * 1-5');
  await expect(page.getByTestId('cron-description')).toHaveText('Every Monday to Friday at 03:30');
  await page.getByLabel('Keep daily', { exact: true }).fill('7');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(scheduleUrl);
  await expect(details).toContainText('Every Monday to Friday at 03:30');
  await expect(details).toContainText('Keep last 2 · daily 7');
  for (const run of await nextRuns(page.getByRole('region', { name: 'Next runs' })))
    expect(run).toMatch(berlinTime('(Mon|Tue|Wed|Thu|Fri)', '03:30'));

  // Disable: no next runs, and the list says so.
  await page.getByRole('button', { name: 'Disable Nightly photos' }).click();
  await expect(details).toContainText('disabled');
  await expect(page.getByRole('region', { name: 'Next runs' })).toContainText('Disabled: it does not run');
  await page.getByRole('link', { name: 'All schedules' }).click();
  const row = page.locator('tr[data-schedule="Nightly photos"]');
  await expect(row).toContainText('disabled');
  await expect(row).toContainText('Every Monday to Friday at 03:30');
  await expect(row).toContainText('never ran');

  // Run now (also while disabled): the job page follows the backup to its end.
  const before = storedArchives().length;
  await row.getByRole('button', { name: 'Run Nightly photos now' }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByText('succeeded', { exact: true })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByRole('list', { name: 'Job log' })).toContainText(
    'Retention (schedule "Nightly photos"): keeping all 1 backups.',
  );
  expect(storedArchives().length).toBe(before + 1);

  await page.goto(scheduleUrl);
  const history = page.getByRole('table', { name: 'Run history' });
  await expect(history.locator('tr[data-run-status="succeeded"]')).toContainText('run now');
  await expect(history.getByRole('link', { name: 'View the job' })).toHaveCount(1);
  await expect(page.getByRole('region', { name: 'Retention' })).toContainText(
    '1 successful backup: 1 kept now; 0 would be deleted',
  );

  // The retention preview says which rules keep the backup.
  await page.getByRole('link', { name: /Retention preview/ }).click();
  await expect(page.getByRole('heading', { name: 'Retention of “Nightly photos”' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Retention preview' });
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table).toContainText('The newest backup of this schedule: always kept');
  await expect(table).toContainText('Keep last 2: one of the 2 newest');
  await expect(table).toContainText(/Keep daily: the newest of (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) /);
  await expect(page.getByText('nothing would be deleted')).toBeVisible();

  // Delete, confirmed: the backup it made stays.
  await page.getByRole('link', { name: 'Back to the schedule' }).click();
  await page.getByRole('button', { name: 'Delete Nightly photos' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete schedule' }).click();
  await expect(page).toHaveURL(/\/schedules$/);
  await expect(page.locator('tr[data-schedule="Nightly photos"]')).toHaveCount(0);
  expect(storedArchives().length).toBe(before + 1);
});
