import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createRemoteDir, dropOwnSshConnections, startSshd } from '@/test/helpers/services';
import { describeStorageContract } from '@/test/storage-contract';
import { SftpTarget, type SftpTargetConfig } from './sftp-target';

// Real OpenSSH sshd on loopback, started by scripts/services/sshd.sh. The remote directory is
// on this machine, so the tests create and inspect it directly.
let sftp: Record<string, string>;

const newRemoteDir = (mode = 0o755) => createRemoteDir(sftp, 'run', mode);

function config(overrides: Partial<SftpTargetConfig> = {}): SftpTargetConfig {
  return {
    host: sftp.SFTP_HOST ?? '127.0.0.1',
    port: Number(sftp.SFTP_PORT),
    username: sftp.SFTP_USERNAME ?? '',
    auth: { method: 'password', password: sftp.SFTP_PASSWORD ?? '' },
    remotePath: newRemoteDir(),
    ...overrides,
  };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

beforeAll(() => {
  sftp = startSshd();
}, 60_000);

describeStorageContract('SFTP (OpenSSH)', async () => {
  sftp ??= startSshd();
  const settings = config({ auth: { method: 'key', privateKey: readFileSync(sftp.SFTP_PRIVATE_KEY_FILE ?? '', 'utf8') } });
  return {
    target: new SftpTarget(settings),
    leftovers: async () => walk(settings.remotePath).filter((f) => path.basename(f).startsWith('.')),
    // The remote directory is on this machine; a crashed put's temporary is written there directly.
    leavePartial: async (key) => {
      const file = path.join(settings.remotePath, key);
      writeFileSync(path.join(path.dirname(file), `.${path.basename(file)}.tmp-0123456789ab`), 'half of it');
    },
    cleanup: async () => rmSync(settings.remotePath, { recursive: true, force: true }),
  };
});

describe('SFTP: errors a user would see', () => {
  it.each<[string, () => Partial<SftpTargetConfig>, string, RegExp]>([
    [
      'a wrong password',
      () => ({ auth: { method: 'password', password: 'not-it' } }),
      'auth_failed',
      /refused the login: check the username and the password or private key/,
    ],
    [
      'a wrong key',
      () => ({
        auth: {
          method: 'key',
          privateKey: readFileSync(path.join(path.dirname(sftp.SFTP_PRIVATE_KEY_FILE ?? ''), 'host_ed25519_key'), 'utf8'),
        },
      }),
      'auth_failed',
      /refused the login/,
    ],
    [
      'a missing remote directory',
      () => ({ remotePath: '/home/nobody-here/backups' }),
      'misconfigured',
      /remote directory \/home\/nobody-here\/backups does not exist/,
    ],
    [
      'an unwritable remote directory',
      () => ({ remotePath: newRemoteDir(0o555) }),
      'access_denied',
      /Permission denied on .*run-[0-9a-f]+/,
    ],
    ['a stopped server', () => ({ port: 1 }), 'unreachable', /Cannot reach the SFTP server 127.0.0.1:1 \(ECONNREFUSED\)/],
  ])(
    '%s',
    async (_what, overrides, code, message) => {
      const target = new SftpTarget(config(overrides()));
      const result = await target.testConnection();
      expect(result.ok).toBe(false);
      expect(result.steps[0]).toMatchObject({ step: 'write', ok: false, message: expect.stringMatching(message) });
      await expect(
        target.put(
          'x/y',
          (async function* () {
            yield Buffer.from('x');
          })(),
        ),
      ).rejects.toMatchObject({ code });
      await target.close();
    },
    60_000,
  );

  it('pins the host key: a different key is refused with a clear warning', async () => {
    const first = new SftpTarget(config());
    expect((await first.testConnection()).ok).toBe(true);
    expect(first.seenHostKeySha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    await first.close();
    const pinned = new SftpTarget(config({ hostKeySha256: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }));
    await expect(pinned.stat('x')).rejects.toMatchObject({
      code: 'auth_failed',
      message: expect.stringMatching(/host key of 127.0.0.1:\d+ changed/),
    });
    await pinned.close();
  }, 60_000);
});

async function* bytesOf(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}

async function textOf(body: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(Buffer.from(part));
  return Buffer.concat(parts).toString();
}

describe('SFTP: dropped connections', () => {
  it('reconnects by itself when the server ended the connection between operations', async () => {
    const printed = [vi.spyOn(console, 'log'), vi.spyOn(console, 'error')];
    const port = Number(sftp.SFTP_PORT);
    const target = new SftpTarget(config());
    try {
      await target.put('a/one', bytesOf('one'));
      // Each drop finds exactly one connection of ours: the one the last operation re-opened.
      expect(dropOwnSshConnections(port)).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 300)); // noticed while idle
      await target.put('a/two', bytesOf('two'));
      expect(dropOwnSshConnections(port)).toBe(1); // noticed by the next operation
      expect(await textOf(await target.get('a/one'))).toBe('one');
      expect(dropOwnSshConnections(port)).toBe(1);
      const keys: string[] = [];
      for await (const object of target.list('a/')) keys.push(object.key);
      expect(keys).toEqual(['a/one', 'a/two']);
      expect(dropOwnSshConnections(port)).toBe(1);
      expect(await target.stat('a/two')).toMatchObject({ key: 'a/two', size: 3 });
      expect(dropOwnSshConnections(port)).toBe(1);
      await target.delete('a/one');
      expect(await target.stat('a/one')).toBeNull();
    } finally {
      await target.close();
    }
    for (const spy of printed) expect(spy).not.toHaveBeenCalled();
  }, 60_000);

  it('a put cut off mid-stream fails as retryable and leaves nothing behind once reconnected', async () => {
    const printed = [vi.spyOn(console, 'log'), vi.spyOn(console, 'error')];
    const settings = config();
    const target = new SftpTarget(settings);
    async function* dropsMidway(): AsyncGenerator<Buffer> {
      yield Buffer.alloc(4 * 1024 * 1024, 1);
      expect(dropOwnSshConnections(Number(sftp.SFTP_PORT))).toBe(1);
      yield Buffer.alloc(4 * 1024 * 1024, 2);
      yield Buffer.alloc(4 * 1024 * 1024, 3);
    }
    try {
      await expect(target.put('cut/off.bin', dropsMidway())).rejects.toMatchObject({
        code: 'unreachable',
        retryable: true,
        message: expect.stringMatching(/connection to the SFTP server 127.0.0.1:\d+ dropped during the operation/),
      });
      expect(await target.stat('cut/off.bin')).toBeNull(); // reconnects, and removes the temporary
      expect(walk(settings.remotePath)).toEqual([]);
    } finally {
      await target.close();
    }
    // ssh2-sftp-client's default listeners would have printed "Global end/close listener".
    for (const spy of printed) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
  }, 60_000);
});
