const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const NICKNAMES: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

const isNumber = (field: string) => /^\d{1,2}$/.test(field);
const pad = (n: string) => n.padStart(2, '0');

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

function joinWords(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** "Monday", "Monday and Friday", "Monday to Friday", or null when the field is not that simple. */
function describeWeekdays(field: string): string | null {
  const range = /^(\d)-(\d)$/.exec(field);
  if (range) {
    const [from, to] = [Number(range[1]), Number(range[2])];
    if (from < to && to <= 6) return `${DAY_NAMES[from]} to ${DAY_NAMES[to]}`;
    return null;
  }
  const days = field.split(',');
  if (!days.every((d) => /^[0-7]$/.test(d))) return null;
  return joinWords(days.map((d) => DAY_NAMES[Number(d) % 7] as string));
}

/**
 * A plain-language reading of the common cron forms (presets, every N minutes or hours, daily,
 * weekly, monthly at a time); anything else is shown as the expression itself, because a
 * half-right description is worse than none. Times are wall-clock times in the instance zone.
 */
export function describeCron(expression: string): string {
  const normalized = expression.trim().replace(/\s+/g, ' ');
  const fields = (NICKNAMES[normalized.toLowerCase()] ?? normalized).split(' ');
  if (fields.length !== 5) return `Cron: ${normalized}`;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  const fallback = `Cron: ${normalized}`;
  if (month !== '*') return fallback;
  const anyDay = dayOfMonth === '*' && dayOfWeek === '*';

  if (anyDay && hour === '*') {
    if (minute === '*') return 'Every minute';
    const step = /^\*\/(\d+)$/.exec(minute);
    if (step) return step[1] === '1' ? 'Every minute' : `Every ${step[1]} minutes`;
    if (isNumber(minute)) return minute === '0' ? 'Every hour, on the hour' : `Every hour at minute ${Number(minute)}`;
    return fallback;
  }
  if (!isNumber(minute)) return fallback;
  const hourStep = /^\*\/(\d+)$/.exec(hour);
  if (anyDay && hourStep) return `Every ${hourStep[1]} hours at minute ${Number(minute)}`;
  if (!isNumber(hour)) return fallback;

  const time = `${pad(hour)}:${pad(minute)}`;
  if (anyDay) return `Every day at ${time}`;
  if (dayOfMonth === '*') {
    const days = describeWeekdays(dayOfWeek);
    return days ? `Every ${days} at ${time}` : fallback;
  }
  if (dayOfWeek === '*' && isNumber(dayOfMonth)) return `Every month on the ${ordinal(Number(dayOfMonth))} at ${time}`;
  return fallback;
}
