import { describe, expect, it } from 'vitest';
import { assessSizeTrend, type SizeSample } from './size-trend';

const MiB = 1024 * 1024;
const full = (logicalBytes: number, appBytes: Record<string, number> | null = null): SizeSample => ({
  scope: 'full',
  apps: Object.keys(appBytes ?? {}),
  logicalBytes,
  appBytes,
});
const only = (apps: string[], logicalBytes: number): SizeSample => ({ scope: 'apps', apps, logicalBytes, appBytes: null });

describe('the size trend rule', () => {
  it('warns at a drop of exactly 90 % below the median, not at 89 %', () => {
    const earlier = [full(100 * MiB), full(100 * MiB), full(100 * MiB)];
    expect(assessSizeTrend(full(10 * MiB), earlier).warnings).toEqual([
      'The logical size 10.5 MB is 90 % below the 104.9 MB of the previous backups of the same apps: app data may have gone missing before this backup.',
    ]);
    expect(assessSizeTrend(full(11 * MiB), earlier).warnings).toEqual([]);
  });

  it('uses the median of the five newest earlier backups: one odd backup does not move it', () => {
    const earlier = [full(1 * MiB), full(100 * MiB), full(100 * MiB), full(100 * MiB), full(100 * MiB), full(1)];
    expect(assessSizeTrend(full(5 * MiB), earlier).warnings).toHaveLength(1);
    expect(assessSizeTrend(full(5 * MiB), earlier).summary).toBe(
      'logical size 5.2 MB, expected about 104.9 MB (median of the 5 previous backups of the same apps)',
    );
  });

  it('never warns about growth, a first backup, another app set or a reference under 1 MiB', () => {
    expect(assessSizeTrend(full(500 * MiB), [full(10 * MiB)]).warnings).toEqual([]);
    expect(assessSizeTrend(full(1), []).summary).toBe('no earlier backup of the same apps to compare its size with');
    expect(assessSizeTrend(only(['notes'], 1), [only(['photos'], 100 * MiB), full(100 * MiB)]).warnings).toEqual([]);
    expect(assessSizeTrend(only(['b', 'a'], 1), [only(['a', 'b'], 100 * MiB)]).warnings).toHaveLength(1);
    expect(assessSizeTrend(full(1), [full(MiB - 1)]).warnings).toEqual([]);
  });

  it("warns per app when one app's data shrank inside a backup whose total barely moved", () => {
    const earlier = [
      full(500 * MiB, { photos: 50 * MiB, media: 450 * MiB }),
      full(500 * MiB, { photos: 50 * MiB, media: 450 * MiB }),
    ];
    const result = assessSizeTrend(full(460 * MiB, { photos: 1 * MiB, media: 459 * MiB }), earlier);
    expect(result.warnings).toEqual([
      'photos: 1.0 MB, 98 % below its usual 52.4 MB: app data may have gone missing before this backup.',
    ]);
  });
});
