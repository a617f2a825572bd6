import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { parseInput } from '../targets/target-input';
import { consistencyModes, setConsistencyMode } from './app-settings';
import { COMPOSE_FILE_NAMES } from './inventory';

const choice = z.object({
  appId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'That is not an app name.'),
  mode: z.enum(consistencyModes.options, { error: 'The backup mode is "stop" or "live".' }),
});

/**
 * Records how a person wants an app backed up. Only for an app that exists: a mode stored for
 * a typo would silently apply to some future app of that name.
 */
export async function chooseConsistencyMode(db: Db, appsDir: string, rawInput: unknown): Promise<void> {
  const { appId, mode } = parseInput(choice, rawInput, 'choice');
  const dir = path.join(appsDir, appId);
  if (!COMPOSE_FILE_NAMES.some((name) => existsSync(path.join(dir, name))))
    throw new AppError('not_found', `There is no app "${appId}".`);
  await setConsistencyMode(db, appId, mode);
}
