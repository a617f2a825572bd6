import { describe, expect, it } from 'vitest';
import { targetEditInput, targetInput } from '@/lib/core/targets/target-input';
import { targetFormToInput } from './target-form-data';

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

describe('targetFormToInput', () => {
  it('builds nested SFTP input with numbers, which the core accepts', () => {
    const input = targetFormToInput(
      form({
        kind: 'sftp',
        name: 'NAS',
        host: 'nas.lan',
        port: '2222',
        username: 'backup',
        'auth.method': 'password',
        'auth.password': 'pw',
        remotePath: '/backups',
        keepLast: '',
        $ACTION_ID_123: 'x',
      }),
    );
    expect(input).toEqual({
      kind: 'sftp',
      name: 'NAS',
      host: 'nas.lan',
      port: 2222,
      username: 'backup',
      auth: { method: 'password', password: 'pw' },
      remotePath: '/backups',
      keepLast: undefined,
    });
    expect(targetInput.safeParse(input).success).toBe(true);
  });

  it('passes the S3 CA certificate textarea through as typed; an empty one clears it on an edit', () => {
    const pem = '-----BEGIN CERTIFICATE-----\r\nMIIB\r\n-----END CERTIFICATE-----\r\n';
    const fields = { kind: 's3', name: 'MinIO', endpoint: 'https://minio.lan', region: 'us-east-1', bucket: 'backups' };
    expect(targetFormToInput(form({ ...fields, caCertificate: pem }))).toMatchObject({ caCertificate: pem });
    const cleared = targetEditInput.parse(targetFormToInput(form({ ...fields, accessKeyId: 'AKID', caCertificate: '' })));
    expect(cleared).toMatchObject({ kind: 's3', caCertificate: undefined });
  });

  it('passes a non-number through so the core names the field', () => {
    const input = targetFormToInput(form({ kind: 'local', name: 'Disk', path: '/mnt', keepLast: 'seven' }));
    const parsed = targetEditInput.safeParse(input);
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['keepLast', 'Keep last must be a whole number of backups from 1 to 10000.'],
    ]);
  });
});
