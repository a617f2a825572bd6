import { parseArgs } from 'node:util';
import { createApiToken, listApiTokens, revokeApiToken } from '../../lib/core/api-tokens/api-tokens';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import { UsageError } from '../cli-error';
import { formatTable, printJson, printLine } from '../output';

const when = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : 'never');

export async function runTokens(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    options: { json: { type: 'boolean', default: false }, all: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  const { db } = await prepareInstance();
  if (sub === 'create') {
    const [name] = positionals;
    if (!name || positionals.length > 1) throw new UsageError('give exactly one token NAME to create (quote a name with spaces)');
    const { token, view } = await createApiToken(db, { name, createdBy: 'cli' });
    if (values.json) printJson({ token, ...view });
    else {
      // The token alone on stdout, so `TOKEN=$(cloudos-backup tokens create NAME)` works.
      printLine(token);
      process.stderr.write(`API token "${view.name}" created. It is shown only this once: store it now.\n`);
    }
    return 0;
  }
  if (sub === 'list') {
    if (positionals.length > 0) throw new UsageError('tokens list takes no arguments');
    const tokens = await listApiTokens(db, { includeRevoked: values.all });
    if (values.json) printJson(tokens);
    else if (tokens.length === 0) printLine('No API tokens. Create one with: cloudos-backup tokens create NAME');
    else {
      const header = ['NAME', 'CREATED', 'LAST USED', ...(values.all ? ['REVOKED'] : []), 'ID'];
      const rows = tokens.map((t) => [
        t.name,
        when(t.createdAt),
        when(t.lastUsedAt),
        ...(values.all ? [t.revokedAt ? when(t.revokedAt) : '-'] : []),
        t.id,
      ]);
      printLine(formatTable([header, ...rows]));
    }
    return 0;
  }
  if (sub === 'revoke') {
    const [nameOrId] = positionals;
    if (!nameOrId || positionals.length > 1) throw new UsageError('give exactly one token NAME or ID to revoke');
    const view = await revokeApiToken(db, nameOrId);
    if (values.json) printJson(view);
    else printLine(`API token "${view.name}" revoked: it no longer authenticates.`);
    return 0;
  }
  throw new UsageError(sub ? `unknown tokens command "${sub}"` : 'missing tokens command (create, list or revoke)');
}
