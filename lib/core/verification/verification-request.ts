import { z } from 'zod';
import { verifyRequestSchema } from '../restore/restore-request';
import { checkNameSchema } from './checks';

/**
 * The `verify` job's payload. `{backupId}` alone is the manual verify of the restore issue
 * (read and authenticate the object, store ok / corrupted / missing on the backup); with
 * `checks` it runs a verification (lib/core/verification), whose row is found by the job id.
 */
export const verifyJobSchema = verifyRequestSchema
  .extend({
    checks: z.array(checkNameSchema).min(1, 'Name at least one check.').optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();
export type VerifyJobPayload = z.infer<typeof verifyJobSchema>;

/** What startVerification accepts besides the backup id. */
export const verificationOptionsSchema = z
  .object({
    checks: z.array(checkNameSchema).optional(),
    dryRun: z.boolean().optional(),
    createdBy: z.string().min(1).optional(),
  })
  .strict();
export type VerificationOptions = z.input<typeof verificationOptionsSchema>;
