import { HardDrive } from 'lucide-react';
import Link from 'next/link';
import { ScheduleForm } from '@/components/schedules/schedule-form';
import { EmptyState } from '@/components/shell/empty-state';
import { PageHeader } from '@/components/shell/page-header';
import { getEnv } from '@/lib/core/env';
import { scheduleFormChoices } from '@/lib/core/schedules/schedule-overview';
import { getInstance } from '@/lib/server/instance';
import { requirePageUser } from '@/lib/server/session';
import { previewCronAction } from '../actions';

export const metadata = { title: 'New schedule' };

export default async function NewSchedulePage() {
  await requirePageUser();
  const { db } = await getInstance();
  const choices = await scheduleFormChoices(db, getEnv());
  const preview = await previewCronAction('0 2 * * *');
  return (
    <>
      <PageHeader title="New schedule" description="Back up automatically at the times you choose." />
      {choices.targets.length === 0 ? (
        <EmptyState icon={HardDrive} title="No target to back up to">
          <Link className="text-primary hover:underline" href="/targets/new">
            Add a target
          </Link>{' '}
          first.
        </EmptyState>
      ) : (
        <ScheduleForm choices={choices} initialPreview={preview.ok ? preview.data : null} />
      )}
    </>
  );
}
