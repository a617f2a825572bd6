import Link from 'next/link';
import { formatAgo } from '@/components/jobs/format';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { BackupHealth } from '@/lib/core/health/backup-health';

const GRADE_TONES = { good: 'success', fair: 'warning', poor: 'danger', critical: 'danger' } as const;

/**
 * The 0–100 backup health score with its grade and the reasons that lowered it, heaviest
 * first, each linked to where it is fixed (docs/VERIFICATION.md), and the last successful
 * backup. Free for everyone, like GET /api/backups/health: knowing that backups are stale is
 * not a premium feature. `now` comes from the server render.
 */
export function HealthScoreCard({ health, now }: { health: BackupHealth; now: number }) {
  const overall = health.lastSuccess.overall;
  return (
    <Card aria-labelledby="health-title" className="min-w-0 md:col-span-2">
      <CardHeader>
        <CardTitle id="health-title">Backup health</CardTitle>
        <CardDescription>How likely your backups are to restore, and what to do about it.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4 text-sm">
        <ScoreAndReasons health={health} />
        <p data-testid="last-success-overall">
          <span className="text-muted-foreground">Last successful backup: </span>
          {overall ? (
            <Link className="text-primary hover:underline" href={`/backups/${overall.backupId}`} title={overall.at}>
              {formatAgo(overall.at, now)} on {overall.targetName}
            </Link>
          ) : (
            <span className="font-medium text-destructive">none yet</span>
          )}
        </p>
      </CardContent>
    </Card>
  );
}

function ScoreAndReasons({ health }: { health: BackupHealth }) {
  return (
    <>
      <div className="flex flex-wrap items-center gap-3">
        <p className="text-4xl font-semibold tabular-nums" data-testid="health-score">
          {health.score}
          <span className="text-base font-normal text-muted-foreground"> / 100</span>
        </p>
        <Badge tone={GRADE_TONES[health.grade]} data-testid="health-grade">
          {health.grade}
        </Badge>
      </div>
      {health.reasons.length === 0 ? (
        <p className="text-muted-foreground">Nothing lowers the score: backups are recent, verified and scheduled.</p>
      ) : (
        <ul aria-label="What lowers the score" className="grid gap-2">
          {health.reasons.map((reason) => (
            <li
              key={`${reason.code} ${reason.fixPath} ${reason.message}`}
              className="flex min-w-0 items-start gap-3"
              data-reason={reason.code}
            >
              <span
                className="w-10 shrink-0 text-right font-medium tabular-nums text-muted-foreground"
                title={
                  reason.weight > 0 ? `Lowers the score by ${reason.weight}` : 'Problems of this kind already weigh their most'
                }
              >
                {reason.weight > 0 ? `−${reason.weight}` : '—'}
              </span>
              <Link className="min-w-0 break-words text-primary hover:underline" href={reason.fixPath}>
                {reason.message}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
