import { formatBytes } from '@/components/jobs/format';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { BackupContents, ManifestApp } from '@/lib/core/backup/manifest';

function AppContents({ app }: { app: ManifestApp }) {
  return (
    <Card aria-label={`App ${app.id}`}>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          {app.id}
          <Badge title="How the app was backed up">
            {app.consistency === 'stop' ? 'stopped while archived' : 'archived live'}
          </Badge>
        </CardTitle>
        <CardDescription>
          {app.files.toLocaleString()} files, {formatBytes(app.bytes)} · Compose files: {app.composeFiles.join(', ') || '—'}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {app.volumes.length === 0 ? (
          <p className="text-sm text-muted-foreground">No volumes.</p>
        ) : (
          <Table aria-label={`Volumes of ${app.id}`}>
            <TableHeader>
              <TableRow>
                <TableHead>Volume</TableHead>
                <TableHead>Kind</TableHead>
                <TableHead>Source</TableHead>
                <TableHead>Files</TableHead>
                <TableHead>Size</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {app.volumes.map((v) => (
                <TableRow key={v.name}>
                  <TableCell className="font-medium">{v.name}</TableCell>
                  <TableCell>{v.kind === 'bind' ? 'bind mount' : 'named volume'}</TableCell>
                  <TableCell className="break-all font-mono text-xs">{v.source}</TableCell>
                  <TableCell>{v.files.toLocaleString()}</TableCell>
                  <TableCell className="whitespace-nowrap">{formatBytes(v.bytes)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
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
      </CardContent>
    </Card>
  );
}

/** What the archive holds, from its manifest: apps with volumes, skipped mounts and the system part. */
export function BackupContentsView({ contents }: { contents: BackupContents }) {
  return (
    <div className="grid gap-4">
      {contents.apps.length === 0 && <p className="text-sm text-muted-foreground">No apps in this backup.</p>}
      {contents.apps.map((app) => (
        <AppContents key={app.id} app={app} />
      ))}
      {contents.system && (
        <Card aria-label="System">
          <CardHeader>
            <CardTitle>System</CardTitle>
            <CardDescription>
              Cloud OS's own database (a consistent snapshot), settings and user accounts: {formatBytes(contents.system.bytes)}.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <ul className="font-mono text-xs">
              {contents.system.files.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          </CardContent>
        </Card>
      )}
    </div>
  );
}
