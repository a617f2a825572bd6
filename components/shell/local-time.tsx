'use client';
import { useEffect, useState } from 'react';

const STYLE: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };

/**
 * A date and time as the reader reads them: rendered on the server in the instance time zone
 * (a fixed locale, so the browser's first render matches), then in the browser's own locale
 * and time zone once it runs.
 */
export function LocalTime({ iso, timeZone, className }: { iso: string; timeZone: string; className?: string }) {
  const [inBrowser, setInBrowser] = useState(false);
  useEffect(() => setInBrowser(true), []);
  const format = inBrowser ? new Intl.DateTimeFormat(undefined, STYLE) : new Intl.DateTimeFormat('en-GB', { ...STYLE, timeZone });
  return (
    <time dateTime={iso} className={className}>
      {format.format(new Date(iso))}
    </time>
  );
}
