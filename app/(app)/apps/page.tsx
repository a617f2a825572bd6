import { Boxes } from 'lucide-react';
import { AppCard } from '@/components/apps/app-card';
import { EmptyState } from '@/components/shell/empty-state';
import { PageHeader } from '@/components/shell/page-header';
import { Alert } from '@/components/ui/alert';
import { appOverview } from '@/lib/core/apps/app-overview';
import { getEnv } from '@/lib/core/env';
import { getInstance } from '@/lib/server/instance';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Apps' };

export default async function AppsPage() {
  await requirePageUser();
  const { db } = await getInstance();
  const env = getEnv();
  const { apps, docker } = await appOverview(db, env);
  return (
    <>
      <PageHeader title="Apps" description={`The Docker Compose apps in ${env.appsDir}, and how each is backed up.`} />
      <div className="grid gap-4">
        {docker !== 'available' && (
          <Alert tone="warning">
            {docker === 'missing'
              ? `No docker CLI was found (${env.dockerBin}), so apps are treated as not running.`
              : 'The Docker daemon is not running, so apps are treated as not running.'}{' '}
            Backups still archive their data as it is on disk.
          </Alert>
        )}
        {apps.length === 0 ? (
          <EmptyState icon={Boxes} title="No apps found">
            Each folder of the apps directory with a docker-compose.yml or compose.yaml is an app. None is there yet.
          </EmptyState>
        ) : (
          apps.map((app) => <AppCard key={app.id} app={app} />)
        )}
      </div>
    </>
  );
}
