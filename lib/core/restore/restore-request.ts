import { z } from 'zod';

const backupIdSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{6,32}$/, 'A backup id is 32 hex digits (or a unique start of one, at least 6).');

/**
 * What a restore job is asked to do. `apps` left out means every app in the backup (or, with
 * `system`, none: the system part only); `system`
 * asks for the system settings and user accounts of a full backup.
 */
export const restoreRequestSchema = z
  .object({
    backupId: backupIdSchema,
    apps: z.array(z.string().min(1)).min(1, 'Choose at least one app, or leave the list out for all.').optional(),
    system: z.boolean().default(false),
  })
  .strict();
export type RestoreRequest = z.infer<typeof restoreRequestSchema>;

/** A verify job: read the stored object end to end without restoring. */
export const verifyRequestSchema = z.object({ backupId: backupIdSchema }).strict();
export type VerifyRequest = z.infer<typeof verifyRequestSchema>;
