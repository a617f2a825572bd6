import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { dayKey, isoWeekKey } from './calendar';
import { planRetention, type RetentionCandidate, type RetentionPolicy, reasonLabel } from './retention';

// Backups are named after their start instant (UTC) so each table row reads on its own.
const at = (iso: string): RetentionCandidate => ({ id: iso, startedAt: new Date(iso) });
const history = (...isos: string[]) => isos.map(at);

function keptIds(backups: RetentionCandidate[], policy: RetentionPolicy, timeZone = 'UTC', protectedIds?: Set<string>) {
  return planRetention(backups, policy, { timeZone, protectedIds })
    .filter((d) => d.action === 'keep')
    .map((d) => d.id);
}

describe('ISO weeks and local days', () => {
  it.each([
    ['2026-11-25T12:00:00Z', '2026-W48'],
    ['2026-12-28T12:00:00Z', '2026-W53'],
    ['2026-12-31T12:00:00Z', '2026-W53'],
    ['2027-01-01T12:00:00Z', '2026-W53'],
    ['2027-01-03T12:00:00Z', '2026-W53'],
    ['2027-01-04T12:00:00Z', '2027-W01'],
    ['2020-12-31T12:00:00Z', '2020-W53'],
    ['2021-01-03T12:00:00Z', '2020-W53'],
    ['2021-01-04T12:00:00Z', '2021-W01'],
    ['2024-12-30T12:00:00Z', '2025-W01'],
  ])('%s is in %s', (iso, week) => {
    expect(isoWeekKey(new Date(iso), 'UTC')).toBe(week);
  });

  it.each([
    // 23:30 UTC is already the next day in Berlin (UTC+1 in winter, UTC+2 in summer).
    ['2026-11-25T23:30:00Z', 'UTC', '2026-11-25'],
    ['2026-11-25T23:30:00Z', 'Europe/Berlin', '2026-11-26'],
    ['2026-07-01T22:30:00Z', 'Europe/Berlin', '2026-07-02'],
    ['2026-11-26T03:00:00Z', 'America/New_York', '2026-11-25'],
  ])('%s is day %s in %s', (iso, timeZone, day) => {
    expect(dayKey(new Date(iso), timeZone)).toBe(day);
  });
});

interface Case {
  name: string;
  backups: RetentionCandidate[];
  policy: RetentionPolicy;
  timeZone?: string;
  kept: string[];
}

const cases: Case[] = [
  {
    name: 'keep-last keeps the N newest',
    backups: history('2026-11-21T02:00:00Z', '2026-11-22T02:00:00Z', '2026-11-23T02:00:00Z', '2026-11-24T02:00:00Z'),
    policy: { keepLast: 2 },
    kept: ['2026-11-24T02:00:00Z', '2026-11-23T02:00:00Z'],
  },
  {
    name: 'keep-daily keeps the newest of each day when a day has several backups',
    backups: history(
      '2026-11-23T08:00:00Z',
      '2026-11-23T20:00:00Z',
      '2026-11-24T08:00:00Z',
      '2026-11-24T20:00:00Z',
      '2026-11-25T10:00:00Z',
    ),
    policy: { keepDaily: 2 },
    kept: ['2026-11-25T10:00:00Z', '2026-11-24T20:00:00Z'],
  },
  {
    name: 'keep-daily counts days that have backups, so gaps of days keep older ones',
    backups: history('2026-11-15T02:00:00Z', '2026-11-20T02:00:00Z', '2026-11-21T02:00:00Z', '2026-11-25T02:00:00Z'),
    policy: { keepDaily: 3 },
    kept: ['2026-11-25T02:00:00Z', '2026-11-21T02:00:00Z', '2026-11-20T02:00:00Z'],
  },
  {
    name: 'after a day with no backup, keep-daily does not shrink',
    // Nov 24 has no backup: still three days are kept, not two.
    backups: history(
      '2026-11-21T02:00:00Z',
      '2026-11-22T02:00:00Z',
      '2026-11-23T02:00:00Z',
      '2026-11-25T02:00:00Z',
      '2026-11-26T02:00:00Z',
    ),
    policy: { keepDaily: 3 },
    kept: ['2026-11-26T02:00:00Z', '2026-11-25T02:00:00Z', '2026-11-23T02:00:00Z'],
  },
  {
    name: 'keep-weekly uses the ISO week-year across 2026-12-31 / 2027-01-01',
    backups: history(
      '2026-12-21T02:00:00Z',
      '2026-12-28T02:00:00Z',
      '2026-12-31T02:00:00Z',
      '2027-01-01T02:00:00Z',
      '2027-01-04T02:00:00Z',
    ),
    policy: { keepWeekly: 3 },
    // 2027-W01, 2026-W53 (Jan 1 is its newest, Dec 28 and 31 share it), 2026-W52.
    kept: ['2027-01-04T02:00:00Z', '2027-01-01T02:00:00Z', '2026-12-21T02:00:00Z'],
  },
  {
    name: 'keep-weekly knows 2020-W53',
    backups: history('2020-12-27T02:00:00Z', '2020-12-31T02:00:00Z', '2021-01-03T02:00:00Z', '2021-01-04T02:00:00Z'),
    policy: { keepWeekly: 3 },
    kept: ['2021-01-04T02:00:00Z', '2021-01-03T02:00:00Z', '2020-12-27T02:00:00Z'],
  },
  {
    name: 'a backup at 23:30 UTC belongs to the next day in Berlin',
    backups: history('2026-11-24T12:00:00Z', '2026-11-25T22:30:00Z', '2026-11-25T23:30:00Z'),
    policy: { keepDaily: 2 },
    timeZone: 'Europe/Berlin',
    kept: ['2026-11-25T23:30:00Z', '2026-11-25T22:30:00Z'],
  },
  {
    name: 'the same history in UTC puts both late backups on one day',
    backups: history('2026-11-24T12:00:00Z', '2026-11-25T22:30:00Z', '2026-11-25T23:30:00Z'),
    policy: { keepDaily: 2 },
    timeZone: 'UTC',
    kept: ['2026-11-25T23:30:00Z', '2026-11-24T12:00:00Z'],
  },
  {
    name: 'a Sunday 23:30 UTC backup is Monday, a new ISO week, in Berlin',
    backups: history('2026-11-22T12:00:00Z', '2026-11-29T12:00:00Z', '2026-11-29T23:30:00Z'),
    policy: { keepWeekly: 2 },
    timeZone: 'Europe/Berlin',
    kept: ['2026-11-29T23:30:00Z', '2026-11-29T12:00:00Z'],
  },
  {
    name: 'Berlin spring forward (2026-03-29 02:00 → 03:00): days still split at local midnight',
    backups: history(
      '2026-03-28T22:30:00Z', // Mar 28 23:30 CET
      '2026-03-28T23:30:00Z', // Mar 29 00:30 CET
      '2026-03-29T21:30:00Z', // Mar 29 23:30 CEST
      '2026-03-29T22:30:00Z', // Mar 30 00:30 CEST
    ),
    policy: { keepDaily: 3 },
    timeZone: 'Europe/Berlin',
    kept: ['2026-03-29T22:30:00Z', '2026-03-29T21:30:00Z', '2026-03-28T22:30:00Z'],
  },
  {
    name: 'Berlin fall back (2026-10-25 03:00 → 02:00): the 25-hour day is one day',
    backups: history(
      '2026-10-24T21:59:00Z', // Oct 24 23:59 CEST
      '2026-10-24T22:30:00Z', // Oct 25 00:30 CEST
      '2026-10-25T00:30:00Z', // Oct 25 02:30 CEST
      '2026-10-25T01:30:00Z', // Oct 25 02:30 CET, the repeated hour
      '2026-10-25T22:59:00Z', // Oct 25 23:59 CET
      '2026-10-25T23:00:00Z', // Oct 26 00:00 CET
    ),
    policy: { keepDaily: 3 },
    timeZone: 'Europe/Berlin',
    kept: ['2026-10-25T23:00:00Z', '2026-10-25T22:59:00Z', '2026-10-24T21:59:00Z'],
  },
  {
    name: 'N = 0 keeps nothing by that rule, yet the newest stays',
    backups: history('2026-11-23T02:00:00Z', '2026-11-24T02:00:00Z', '2026-11-25T02:00:00Z'),
    policy: { keepLast: 0, keepDaily: 0, keepWeekly: 0 },
    kept: ['2026-11-25T02:00:00Z'],
  },
  {
    name: 'large N keeps everything the rule can reach',
    backups: history('2026-11-23T02:00:00Z', '2026-11-23T14:00:00Z', '2026-11-25T02:00:00Z'),
    policy: { keepDaily: 10_000 },
    kept: ['2026-11-25T02:00:00Z', '2026-11-23T14:00:00Z'],
  },
  {
    name: 'large keep-last keeps all',
    backups: history('2026-11-23T02:00:00Z', '2026-11-23T14:00:00Z', '2026-11-25T02:00:00Z'),
    policy: { keepLast: 10_000 },
    kept: ['2026-11-25T02:00:00Z', '2026-11-23T14:00:00Z', '2026-11-23T02:00:00Z'],
  },
  {
    name: 'rules combine as a union',
    backups: history(
      '2026-11-09T02:00:00Z', // W46
      '2026-11-16T02:00:00Z', // W47
      '2026-11-20T02:00:00Z', // W47, newest of that week
      '2026-11-23T02:00:00Z',
      '2026-11-24T02:00:00Z',
      '2026-11-25T02:00:00Z',
    ),
    policy: { keepLast: 1, keepDaily: 2, keepWeekly: 2 },
    kept: ['2026-11-25T02:00:00Z', '2026-11-24T02:00:00Z', '2026-11-20T02:00:00Z'],
  },
  {
    name: 'no policy at all keeps everything',
    backups: history('2026-11-23T02:00:00Z', '2026-11-24T02:00:00Z', '2026-11-25T02:00:00Z'),
    policy: {},
    kept: ['2026-11-25T02:00:00Z', '2026-11-24T02:00:00Z', '2026-11-23T02:00:00Z'],
  },
];

describe('planRetention', () => {
  it.each(cases)('$name', ({ backups, policy, timeZone, kept }) => {
    expect(keptIds(backups, policy, timeZone)).toEqual(kept);
  });

  it('does not depend on the order of its input', () => {
    const { backups, policy, timeZone } = cases.find((c) => c.name.startsWith('Berlin fall back')) as Case;
    const plan = planRetention(backups, policy, { timeZone: timeZone as string });
    const reversed = planRetention([...backups].reverse(), policy, { timeZone: timeZone as string });
    expect(reversed).toEqual(plan);
  });

  it('says which rules keep each backup', () => {
    const plan = planRetention(
      history('2026-11-16T02:00:00Z', '2026-11-24T02:00:00Z', '2026-11-25T02:00:00Z'),
      { keepLast: 2, keepDaily: 1, keepWeekly: 2 },
      { timeZone: 'UTC' },
    );
    expect(plan.map((d) => [d.id, d.action, d.reasons.map(reasonLabel)])).toEqual([
      ['2026-11-25T02:00:00Z', 'keep', ['newest', 'last 2', 'daily 2026-11-25', 'weekly 2026-W48']],
      ['2026-11-24T02:00:00Z', 'keep', ['last 2']],
      ['2026-11-16T02:00:00Z', 'keep', ['weekly 2026-W47']],
    ]);
  });

  it('never deletes a backup in use by a restore or verification', () => {
    const backups = history('2026-11-23T02:00:00Z', '2026-11-24T02:00:00Z', '2026-11-25T02:00:00Z');
    const plan = planRetention(backups, { keepLast: 1 }, { timeZone: 'UTC', protectedIds: new Set(['2026-11-23T02:00:00Z']) });
    expect(plan.map((d) => [d.id, d.action, d.reasons.map(reasonLabel)])).toEqual([
      ['2026-11-25T02:00:00Z', 'keep', ['newest', 'last 1']],
      ['2026-11-24T02:00:00Z', 'delete', []],
      ['2026-11-23T02:00:00Z', 'keep', ['in use']],
    ]);
  });

  it('keeps the newest even when it is the only backup and every rule is 0', () => {
    expect(planRetention([at('2026-11-25T02:00:00Z')], { keepLast: 0 }, { timeZone: 'UTC' })).toEqual([
      { id: '2026-11-25T02:00:00Z', startedAt: new Date('2026-11-25T02:00:00Z'), action: 'keep', reasons: [{ rule: 'newest' }] },
    ]);
  });

  it('plans nothing for no backups', () => {
    expect(planRetention([], { keepLast: 3 }, { timeZone: 'UTC' })).toEqual([]);
  });

  it.each([
    [{ keepLast: -1 }, 'UTC', /keepLast must be a whole number/],
    [{ keepDaily: 1.5 }, 'UTC', /keepDaily must be a whole number/],
    [{ keepWeekly: Number.NaN }, 'UTC', /keepWeekly must be a whole number/],
    [{ keepLast: 1 }, 'Mars/Olympus_Mons', /not a known IANA time zone/],
  ])('rejects %j in %s', (policy, timeZone, message) => {
    const run = () => planRetention(history('2026-11-25T02:00:00Z'), policy, { timeZone });
    expect(run).toThrow(AppError);
    expect(run).toThrow(message);
  });
});
