import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';

const setFlags = vi.hoisted(() => vi.fn());
vi.mock('node:v8', async (original) => ({ ...(await original<typeof import('node:v8')>()), setFlagsFromString: setFlags }));

const { createDb, WASM_TIERING_FLAG } = await import('./client');

const dir = mkdtempSync(path.join(tmpdir(), 'db-client-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('keeps Prisma’s WebAssembly on baseline code: sets the tiering budget once, before the first client', async () => {
  expect(setFlags).not.toHaveBeenCalled();
  const first = createDb(path.join(dir, 'a.db'));
  expect(setFlags.mock.calls).toEqual([[WASM_TIERING_FLAG]]);
  const second = createDb(path.join(dir, 'b.db'));
  expect(setFlags).toHaveBeenCalledTimes(1);
  // The clients work with the flag set (it only changes how V8 compiles Prisma's module).
  expect(await first.$queryRawUnsafe<{ one: bigint }[]>('SELECT 1 AS one')).toEqual([{ one: 1n }]);
  await Promise.all([first.$disconnect(), second.$disconnect()]);
});

it('this Node’s V8 knows the flag (it reports an unknown one on stderr and ignores it)', () => {
  const script = `require('node:v8').setFlagsFromString(${JSON.stringify(WASM_TIERING_FLAG)})`;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(child.status).toBe(0);
  expect(child.stderr).toBe('');
  const unknown = spawnSync(process.execPath, ['-e', "require('node:v8').setFlagsFromString('--no-such-flag-here')"], {
    encoding: 'utf8',
  });
  expect(unknown.stderr).toMatch(/unrecognized flag/); // so the check above can fail
});
