'use client';
import { useState } from 'react';
import { formatAgo } from '@/components/jobs/format';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { ApiTokenView } from '@/lib/core/api-tokens/api-tokens';
import { NewApiTokenForm } from './new-api-token-form';
import { RevokeApiTokenDialog } from './revoke-api-token-dialog';

function When({ iso, now, never }: { iso: string | null; now: number; never: string }) {
  if (!iso) return <span className="text-muted-foreground">{never}</span>;
  return (
    <time dateTime={iso} title={new Date(iso).toISOString()}>
      {formatAgo(iso, now)}
    </time>
  );
}

/** Settings → API tokens: create (the token is shown once), list and revoke. */
export function ApiTokensSection({ tokens, now }: { tokens: ApiTokenView[]; now: number }) {
  const [revoking, setRevoking] = useState<ApiTokenView | null>(null);
  return (
    <Card id="api-tokens" aria-labelledby="api-tokens-title">
      <CardHeader>
        <CardTitle id="api-tokens-title">API tokens</CardTitle>
        <CardDescription>
          For scripts using the REST API: send a token as <code className="text-xs">Authorization: Bearer cob_…</code>. Tokens
          work for <code className="text-xs">/api</code> only, never to sign in to these pages. Only a hash is stored: a token is
          shown once, when it is created.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <NewApiTokenForm />
        {tokens.length === 0 ? (
          <p className="text-sm text-muted-foreground">No API tokens yet.</p>
        ) : (
          <Table aria-label="API tokens">
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Created</TableHead>
                <TableHead>Last used</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {tokens.map((token) => (
                <TableRow key={token.id}>
                  <TableCell className="font-medium">{token.name}</TableCell>
                  <TableCell>
                    <When iso={token.createdAt} now={now} never="—" />
                    {token.createdBy && <span className="text-muted-foreground"> by {token.createdBy}</span>}
                  </TableCell>
                  <TableCell>
                    <When iso={token.lastUsedAt} now={now} never="never" />
                  </TableCell>
                  <TableCell className="text-right">
                    <Button variant="outline" size="sm" onClick={() => setRevoking(token)} aria-label={`Revoke ${token.name}`}>
                      Revoke
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <RevokeApiTokenDialog token={revoking} onClose={() => setRevoking(null)} />
      </CardContent>
    </Card>
  );
}
