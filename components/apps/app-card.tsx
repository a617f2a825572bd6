import { formatBytes } from '@/components/jobs/format';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { AppOverview } from '@/lib/core/apps/app-overview';
import { ConsistencyControl } from './consistency-control';

function VolumesTable({ app }: { app: AppOverview }) {
  if (app.volumes.length === 0) return <p className="text-sm text-muted-foreground">No data volumes.</p>;
  return (
    <Table aria-label={`Volumes of ${app.id}`}>
      <TableHeader>
        <TableRow>
          <TableHead>Volume</TableHead>
          <TableHead>Source</TableHead>
          <TableHead>Files</TableHead>
          <TableHead>Size</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {app.volumes.map((v) => (
          <TableRow key={v.name}>
            <TableCell className="font-medium">
              {v.name}
              <span className="block text-xs text-muted-foreground">{v.kind === 'bind' ? 'bind mount' : 'named volume'}</span>
            </TableCell>
            <TableCell className="break-all font-mono text-xs">{v.hostPath ?? v.source}</TableCell>
            {v.found ? (
              <>
                <TableCell>{v.files.toLocaleString()}</TableCell>
                <TableCell className="whitespace-nowrap">{formatBytes(v.bytes)}</TableCell>
              </>
            ) : (
              <TableCell colSpan={2}>
                <Badge tone="warning">not found on this host</Badge>
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** One app: services and their state, volumes with sizes, what is skipped, and its backup mode. */
export function AppCard({ app }: { app: AppOverview }) {
  return (
    <Card aria-label={`App ${app.id}`}>
      <CardHeader>
        <CardTitle className="flex flex-wrap items-center gap-2">
          {app.id}
          {app.error ? (
            <Badge tone="danger">broken</Badge>
          ) : (
            <Badge tone={app.running ? 'success' : 'neutral'}>{app.running ? 'running' : 'not running'}</Badge>
          )}
        </CardTitle>
        <CardDescription className="break-all">{app.composeFile || app.dir}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {app.error ? (
          <Alert tone="danger">This app cannot be backed up until its Compose file is fixed: {app.error}</Alert>
        ) : (
          <>
            <div className="flex flex-wrap gap-2 text-sm">
              <span className="text-muted-foreground">Services:</span>
              {app.services.map((s) => (
                <Badge key={s.name} tone={s.state === 'running' ? 'success' : 'neutral'} title={s.image ?? undefined}>
                  {s.name}: {s.state}
                </Badge>
              ))}
            </div>
            <VolumesTable app={app} />
            <p className="text-sm">
              Total: {app.files.toLocaleString()} files, {formatBytes(app.bytes)}
            </p>
            {app.skipped.length > 0 && (
              <div className="text-sm">
                <p className="font-medium">Not backed up</p>
                <ul className="list-disc pl-5">
                  {app.skipped.map((s) => (
                    <li key={s.source}>
                      <code className="text-xs">{s.source}</code>: {s.reason}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <ConsistencyControl appId={app.id} mode={app.consistency} chosen={app.consistencyChosen} />
          </>
        )}
      </CardContent>
    </Card>
  );
}
