import { AppError } from '../errors';

/** A calendar date as a person in `timeZone` reads it off the wall. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
    } catch {
      throw new AppError('invalid_input', `"${timeZone}" is not a known IANA time zone.`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

export function localDate(instant: Date, timeZone: string): LocalDate {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const field = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: field('year'), month: field('month'), day: field('day') };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2026-11-25`: the day a backup belongs to in the instance's time zone. */
export function dayKey(instant: Date, timeZone: string): string {
  const { year, month, day } = localDate(instant, timeZone);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/**
 * `2026-W48`: the ISO 8601 week of the local date. The week-year is the year of that week's
 * Thursday, so 2027-01-01 (a Friday) is 2026-W53 and 2024-12-30 (a Monday) is 2025-W01.
 */
export function isoWeekKey(instant: Date, timeZone: string): string {
  const { year, month, day } = localDate(instant, timeZone);
  // Pure calendar arithmetic on a UTC-midnight date: no time zone can shift it any more.
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7; // Monday 1 … Sunday 7
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // the Thursday of this week
  const weekYear = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(weekYear, 0, 1)) / 86_400_000 + 1) / 7);
  return `${pad(weekYear, 4)}-W${pad(week)}`;
}
