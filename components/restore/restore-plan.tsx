import { formatBytes } from '@/components/jobs/format';
import { Alert } from '@/components/ui/alert';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import type { RestorePreviewApp } from '@/lib/core/restore/restore-preview';

function AppPlan({ app }: { app: RestorePreviewApp }) {
  return (
    <Card aria-label={`Restore plan for ${app.id}`}>
      <CardHeader>
        <CardTitle>{app.id}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-2 text-sm">
        <p>
          {app.runningServices.length > 0 ? (
            <>
              Containers stopped, then started again:{' '}
              <span className="font-medium" data-testid={`restore-services-${app.id}`}>
                {app.runningServices.join(', ')}
              </span>
            </>
          ) : (
            'No container of this app is running: none is stopped or started.'
          )}
        </p>
        <div>
          <p>Data replaced by the backup's copy ({formatBytes(app.bytes)}):</p>
          <ul className="list-disc pl-5" aria-label={`Data replaced for ${app.id}`}>
            {app.volumes.map((v) => (
              <li key={v.name}>
                {v.name}: <code className="break-all text-xs">{v.hostPath}</code>
              </li>
            ))}
            {app.composeFiles.length > 0 && (
              <li>
                Compose and env files in <code className="break-all text-xs">{app.appDir}</code>: {app.composeFiles.join(', ')}
              </li>
            )}
          </ul>
        </div>
        {!app.present && <p>The app's directory is not there now: it is recreated from the backup.</p>}
      </CardContent>
    </Card>
  );
}

/** What restoring the system part replaces and keeps (docs/RESTORE.md, restore-system.ts). */
function SystemPlan() {
  return (
    <Card aria-label="Restore plan for the system settings and user accounts">
      <CardHeader>
        <CardTitle>System settings and user accounts</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-2 text-sm">
        <p>
          Replaced by the backup's copy: every user account and password, and the settings (app backup modes, time zone and other
          preferences). Accounts created since the backup are removed.
        </p>
        <p>
          Added from the backup, next to what this server has (nothing of it is removed or changed): targets with their secrets,
          schedules, API tokens and the backups of its catalog. Kept as they are: jobs, this server's keys and its backup
          passphrase.
        </p>
        <p className="font-medium">Everyone is signed out when it finishes: sign in again with an account from the backup.</p>
      </CardContent>
    </Card>
  );
}

/** Step 3: per chosen app, which containers stop and start and which data is replaced. */
export function RestorePlan({ apps, system, madeAt }: { apps: RestorePreviewApp[]; system: boolean; madeAt: string }) {
  return (
    <div className="grid gap-3">
      <Alert tone="warning">
        Everything listed below is replaced by the backup's copy from {madeAt}; changes made since then are lost. The backup is
        checked in full before anything is touched, and an app whose swap fails is put back as it was.
      </Alert>
      {apps.map((app) => (
        <AppPlan key={app.id} app={app} />
      ))}
      {system && <SystemPlan />}
    </div>
  );
}
