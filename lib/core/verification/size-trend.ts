import { formatBytes } from '../util/format-bytes';

/** How many earlier backups make the expected size, and how far below it is a warning. */
export const SIZE_TREND_WINDOW = 5;
export const SIZE_DROP_WARN_RATIO = 0.9;
/** Below this the reference is noise (a config-only app), not data that could go missing. */
export const SIZE_MIN_REFERENCE_BYTES = 1024 * 1024;

/** A backup as the size rule sees it: its logical size, in total and per app. */
export interface SizeSample {
  scope: 'full' | 'apps';
  apps: string[];
  logicalBytes: number;
  /** Bytes per app from its contents, when the catalog holds them. */
  appBytes: Record<string, number> | null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Full backups form one set; an apps backup's set is its sorted list of apps. */
export function sameAppSet(a: Pick<SizeSample, 'scope' | 'apps'>, b: Pick<SizeSample, 'scope' | 'apps'>): boolean {
  if (a.scope !== b.scope) return false;
  return a.scope === 'full' || [...a.apps].sort().join('\n') === [...b.apps].sort().join('\n');
}

function dropOf(current: number, reference: number): number {
  return reference > 0 ? 1 - current / reference : 0;
}

/**
 * The rule of docs/VERIFICATION.md: the expected logical size is the median of the
 * SIZE_TREND_WINDOW most recent earlier successful backups of the same app set (any target);
 * each app's expected size the median over the most recent earlier backups that hold it. A
 * size at least 90 % below its expected size is a warning, when the expected size is at least
 * 1 MiB. Growth never warns. `earlier` is newest first. Returns the warnings and a summary.
 */
export function assessSizeTrend(current: SizeSample, earlier: SizeSample[]): { warnings: string[]; summary: string } {
  const warnings: string[] = [];
  const sameSet = earlier.filter((b) => sameAppSet(b, current)).slice(0, SIZE_TREND_WINDOW);
  let summary = 'no earlier backup of the same apps to compare its size with';
  if (sameSet.length > 0) {
    const reference = median(sameSet.map((b) => b.logicalBytes));
    const drop = dropOf(current.logicalBytes, reference);
    summary = `logical size ${formatBytes(current.logicalBytes)}, expected about ${formatBytes(reference)} (median of the ${sameSet.length} previous backup${sameSet.length > 1 ? 's' : ''} of the same apps)`;
    if (reference >= SIZE_MIN_REFERENCE_BYTES && drop >= SIZE_DROP_WARN_RATIO)
      warnings.push(
        `The logical size ${formatBytes(current.logicalBytes)} is ${Math.round(drop * 100)} % below the ${formatBytes(reference)} of the previous backups of the same apps: app data may have gone missing before this backup.`,
      );
  }
  for (const [app, bytes] of Object.entries(current.appBytes ?? {})) {
    const history = earlier
      .map((b) => b.appBytes?.[app])
      .filter((v): v is number => v !== undefined)
      .slice(0, SIZE_TREND_WINDOW);
    if (history.length === 0) continue;
    const reference = median(history);
    const drop = dropOf(bytes, reference);
    if (reference >= SIZE_MIN_REFERENCE_BYTES && drop >= SIZE_DROP_WARN_RATIO)
      warnings.push(
        `${app}: ${formatBytes(bytes)}, ${Math.round(drop * 100)} % below its usual ${formatBytes(reference)}: app data may have gone missing before this backup.`,
      );
  }
  return { warnings, summary };
}
