import { randomBytes } from 'node:crypto';
import { isAppError } from '../errors';
import type { ConnectionStep, ConnectionTest, StorageTarget } from './storage-target';

async function* once(data: Buffer): AsyncGenerator<Buffer> {
  yield data;
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

/**
 * The "Test connection" of every driver: write, read back, list and delete a probe object,
 * stopping at the first failed step and saying what failed and how to fix it.
 */
export async function testTargetConnection(target: StorageTarget): Promise<ConnectionTest> {
  const key = `cloudos-probe/${Date.now()}-${randomBytes(4).toString('hex')}`;
  const data = randomBytes(1024);
  const steps: ConnectionStep[] = [];
  const run = async (step: ConnectionStep['step'], action: () => Promise<void>): Promise<boolean> => {
    try {
      await action();
      steps.push({ step, ok: true });
      return true;
    } catch (error) {
      steps.push({
        step,
        ok: false,
        message: isAppError(error) ? error.message : `Unexpected error: ${(error as Error)?.message ?? error}`,
      });
      return false;
    }
  };
  const ok =
    (await run('write', async () => {
      await target.put(key, once(data), { sizeHint: data.length });
    })) &&
    (await run('read', async () => {
      if (!(await readAll(await target.get(key))).equals(data))
        throw new Error('the probe object read back differs from what was written');
    })) &&
    (await run('list', async () => {
      for await (const object of target.list('cloudos-probe/')) if (object.key === key) return;
      throw new Error('the probe object does not appear in the listing');
    })) &&
    (await run('delete', () => target.delete(key)));
  if (!ok && steps.at(-1)?.step !== 'write') await target.delete(key).catch(() => {});
  return { ok, steps };
}
