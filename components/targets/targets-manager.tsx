'use client';
import { useState, useTransition } from 'react';
import { testTargetAction } from '@/app/(app)/targets/actions';
import { Alert } from '@/components/ui/alert';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import type { TargetTestResult, TargetView } from '@/lib/core/targets/targets';
import { ConnectionTestResult } from './connection-test-result';
import { DeleteTargetDialog } from './delete-target-dialog';
import { FindBackupsDialog } from './find-backups-dialog';
import { TargetsTable } from './targets-table';

type TestState = { name: string; result?: TargetTestResult; error?: string };

/**
 * The targets list with its actions: test (result shown below the list), find the backups
 * stored there (a dialog) and delete (confirmed).
 */
export function TargetsManager({ targets }: { targets: TargetView[] }) {
  const [test, setTest] = useState<TestState | null>(null);
  const [testing, startTest] = useTransition();
  const [deleting, setDeleting] = useState<string | null>(null);
  const [finding, setFinding] = useState<string | null>(null);

  function runTest(name: string) {
    setTest({ name });
    startTest(async () => {
      const outcome = await testTargetAction(name);
      setTest(outcome.ok ? { name, result: outcome.data } : { name, error: outcome.error });
    });
  }

  return (
    <div className="grid gap-4">
      <TargetsTable
        targets={targets}
        testing={testing ? (test?.name ?? null) : null}
        onTest={runTest}
        onFind={setFinding}
        onDelete={setDeleting}
      />
      {test && (
        <Card aria-live="polite">
          <CardHeader>
            <CardTitle>{testing ? `Testing “${test.name}”…` : `Connection test of “${test.name}”`}</CardTitle>
          </CardHeader>
          <CardContent>
            {test.error && <Alert tone="danger">{test.error}</Alert>}
            {test.result && <ConnectionTestResult name={test.name} result={test.result} onRetest={() => runTest(test.name)} />}
          </CardContent>
        </Card>
      )}
      <FindBackupsDialog name={finding} onClose={() => setFinding(null)} />
      <DeleteTargetDialog name={deleting} onClose={() => setDeleting(null)} />
    </div>
  );
}
