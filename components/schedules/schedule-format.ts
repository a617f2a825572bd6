import type { RetentionReason } from '@/lib/core/retention/retention';

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * "Sat, 28 Nov 2026, 02:00 CET": an instant as a clock on the wall in the instance time zone.
 * Formatted on the server only (pages and actions), so the browser's own zone never shows.
 */
export function formatInstanceTime(date: Date | string, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(typeof date === 'string' ? new Date(date) : date);
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Wednesday 25 Nov 2026" for the calendar day "2026-11-25" (already a day of the instance zone). */
function describeDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(year, month - 1, date)).getUTCDay();
  return `${DAY_NAMES[weekday]} ${date} ${MONTHS[month - 1]} ${year}`;
}

/** A retention reason in plain words, for the preview page. */
export function explainReason(reason: RetentionReason): string {
  switch (reason.rule) {
    case 'newest':
      return 'The newest backup of this schedule: always kept';
    case 'last':
      return `Keep last ${reason.count}: one of the ${reason.count} newest`;
    case 'daily':
      return `Keep daily: the newest of ${describeDay(reason.day)}`;
    case 'weekly': {
      const [year, week] = reason.week.split('-W');
      return `Keep weekly: the newest of ISO week ${Number(week)} of ${year}`;
    }
    case 'target-newest':
      return `The newest backup on target “${reason.target}”: always kept`;
    case 'target-last':
      return `Target “${reason.target}” keeps its last ${reason.count}: one of them`;
    case 'in-use':
      return 'In use by a restore or verification right now';
    case 'no-policy':
      return 'No retention rule applies: kept';
  }
}

/** "last 3 · daily 7 · weekly 4", or that every backup is kept. */
export function retentionSummary(policy: { keepLast: number | null; keepDaily: number | null; keepWeekly: number | null }) {
  const rules = [
    policy.keepLast !== null && `last ${policy.keepLast}`,
    policy.keepDaily !== null && `daily ${policy.keepDaily}`,
    policy.keepWeekly !== null && `weekly ${policy.keepWeekly}`,
  ].filter(Boolean);
  return rules.length > 0 ? `Keep ${rules.join(' · ')}` : 'Keep all';
}

export function scopeSummary(schedule: { scope: 'full' | 'apps'; apps: string[] }): string {
  return schedule.scope === 'full' ? 'Full system' : schedule.apps.join(', ');
}
