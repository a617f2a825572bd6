import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { COMPOSE_FILE_NAMES } from './inventory';

/**
 * The ids of the apps installed under the apps directory (folders holding a Compose file),
 * sorted, without parsing anything: cheap enough for every health summary. A missing apps
 * directory holds no apps.
 */
export function installedAppIds(appsDir: string): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(appsDir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((e) => e.isDirectory() && COMPOSE_FILE_NAMES.some((name) => existsSync(path.join(appsDir, e.name, name))))
    .map((e) => e.name)
    .sort();
}
