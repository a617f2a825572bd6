import { describe, expect, it } from 'vitest';
import { formatAgo, formatIn } from './format';

const NOW = Date.parse('2026-11-28T12:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('relative times', () => {
  it('formatAgo: just now, minutes, hours up to two days, then days', () => {
    expect(formatAgo(at(-59_000), NOW)).toBe('just now');
    expect(formatAgo(at(5_000), NOW)).toBe('just now'); // a clock a little ahead
    expect(formatAgo(at(-2 * MIN), NOW)).toBe('2 min ago');
    expect(formatAgo(at(-47 * HOUR), NOW)).toBe('47 h ago');
    expect(formatAgo(at(-49 * HOUR), NOW)).toBe('2 days ago');
  });

  it('formatIn: now once due, then minutes, hours up to two days, then days', () => {
    expect(formatIn(at(-MIN), NOW)).toBe('now');
    expect(formatIn(at(0), NOW)).toBe('now');
    expect(formatIn(at(30_000), NOW)).toBe('in less than a minute');
    expect(formatIn(at(5 * MIN), NOW)).toBe('in 5 min');
    expect(formatIn(at(3 * HOUR + 10 * MIN), NOW)).toBe('in 3 h');
    expect(formatIn(at(72 * HOUR), NOW)).toBe('in 3 days');
  });
});
