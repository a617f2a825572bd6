import { z } from 'zod';
import { CRON_PRESETS, type CronPreset, parseCron } from './cron';

const KEEP = (rule: string) => `${rule} must be a whole number from 0 to 10000, or empty to not use the rule.`;
const keep = (rule: string) =>
  z
    .number({ error: KEEP(rule) })
    .int(KEEP(rule))
    .min(0, KEEP(rule))
    .max(10_000, KEEP(rule))
    .nullable()
    .optional();

/** A preset name ("daily") stands for its expression; anything else must parse with croner. */
export function expandCron(value: string): string {
  const trimmed = value.trim().replace(/\s+/g, ' ');
  return Object.hasOwn(CRON_PRESETS, trimmed) ? CRON_PRESETS[trimmed as CronPreset] : trimmed;
}

const cron = z
  .string({ error: 'Enter a cron expression or a preset (hourly, daily, weekly, monthly).' })
  .transform(expandCron)
  .superRefine((expression, ctx) => {
    try {
      parseCron(expression);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    }
  });

const fields = {
  name: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/, 'The name must be 1–64 characters: letters, digits, space, ".", "_" or "-".'),
  cron,
  target: z.string().trim().min(1, 'Choose a target.'),
  scope: z.enum(['full', 'apps'], { error: 'The scope is "full" or "apps".' }),
  apps: z.array(z.string().trim().min(1)).default([]),
  keepLast: keep('Keep last'),
  keepDaily: keep('Keep daily'),
  keepWeekly: keep('Keep weekly'),
  enabled: z.boolean().default(true),
};

const appsMatchScope = (s: { scope: 'full' | 'apps'; apps: string[] }) => s.scope === 'full' || s.apps.length > 0;
export const APPS_MESSAGE = 'Choose at least one app to back up.';

export const scheduleInput = z
  .object(fields)
  .strict()
  .refine(appsMatchScope, { message: APPS_MESSAGE, path: ['apps'] });
export type ScheduleInput = z.output<typeof scheduleInput>;

/** An edit: any subset of the fields; the merged result is checked again as a whole. */
export const scheduleChanges = z
  .object({
    name: fields.name.optional(),
    cron: cron.optional(),
    target: fields.target.optional(),
    scope: fields.scope.optional(),
    apps: z.array(z.string().trim().min(1)).optional(),
    keepLast: fields.keepLast,
    keepDaily: fields.keepDaily,
    keepWeekly: fields.keepWeekly,
    enabled: z.boolean().optional(),
  })
  .strict();
export type ScheduleChanges = z.output<typeof scheduleChanges>;

export { appsMatchScope };
