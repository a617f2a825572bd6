import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { InstanceHealth } from '@/lib/core/health/get-instance-health';

export function WorkerStatusCard({ health }: { health: InstanceHealth }) {
  const age = health.worker.lastHeartbeatAgeSeconds;
  const running = health.status === 'ok';
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          Background worker <Badge tone={running ? 'success' : 'danger'}>{running ? 'running' : 'not running'}</Badge>
        </CardTitle>
        <CardDescription>The worker runs backups, restores and checks.</CardDescription>
      </CardHeader>
      <CardContent className="text-sm">
        {age === null
          ? 'No worker has reported yet. Start the app with "npm start", which runs the worker next to the web server.'
          : running
            ? `Last heartbeat ${age} s ago.`
            : `Last heartbeat ${age} s ago: the worker seems stopped, so queued jobs will wait.`}
      </CardContent>
    </Card>
  );
}
