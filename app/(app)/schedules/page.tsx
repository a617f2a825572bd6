import { Calendar, Plus } from 'lucide-react';
import Link from 'next/link';
import { ScheduleSettingsForm } from '@/components/schedules/schedule-settings-form';
import { SchedulesTable } from '@/components/schedules/schedules-table';
import { EmptyState } from '@/components/shell/empty-state';
import { PageHeader } from '@/components/shell/page-header';
import { buttonVariants } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { getEnv } from '@/lib/core/env';
import { readGraceMs } from '@/lib/core/schedules/grace-setting';
import { listScheduleOverviews } from '@/lib/core/schedules/schedule-overview';
import { getInstance } from '@/lib/server/instance';
import { instanceTimeZone } from '@/lib/server/instance-time-zone';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Schedules' };

function knownZones(extra: string[]): string[] {
  return [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', ...extra])].sort();
}

export default async function SchedulesPage() {
  await requirePageUser();
  const { db } = await getInstance();
  const timeZone = await instanceTimeZone(db);
  const schedules = await listScheduleOverviews(db, timeZone);
  const fallback = getEnv().timeZone;
  return (
    <>
      <PageHeader
        title="Schedules"
        description="Backups that run by themselves, each with its own scope, target and retention."
        actions={
          <Link className={buttonVariants()} href="/schedules/new">
            <Plus /> New schedule
          </Link>
        }
      />
      <div className="grid gap-6">
        {schedules.length === 0 ? (
          <EmptyState icon={Calendar} title="No schedules yet">
            Add one to back up automatically — for example the full system every night to local storage and once a week to S3 —
            and choose how many backups to keep.
          </EmptyState>
        ) : (
          <SchedulesTable schedules={schedules} timeZone={timeZone} />
        )}
        <Card>
          <CardHeader>
            <CardTitle>Schedule settings</CardTitle>
            <CardDescription>For every schedule of this instance; changes apply at once, without a restart.</CardDescription>
          </CardHeader>
          <CardContent>
            <ScheduleSettingsForm
              timeZone={timeZone}
              graceMinutes={(await readGraceMs(db)) / 60_000}
              zones={knownZones([timeZone, fallback])}
              fallback={fallback}
            />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
