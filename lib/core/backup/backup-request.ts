import { z } from 'zod';

/** What a backup job is asked to do (the job payload, the API body and the CLI flags). */
export const backupRequestSchema = z
  .object({
    target: z.string().min(1, 'Choose a target.'),
    scope: z.enum(['full', 'apps']),
    apps: z.array(z.string().min(1)).default([]),
    scheduleId: z.string().nullable().optional(),
  })
  .strict()
  .refine((r) => r.scope === 'full' || r.apps.length > 0, { message: 'Choose at least one app to back up.', path: ['apps'] });
export type BackupRequest = z.infer<typeof backupRequestSchema>;
