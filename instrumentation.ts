// Runs once when the web server starts: apply migrations and load the instance key before the
// first request (lib/server/prepare-web.ts), only in the Node.js runtime.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { prepareWebProcess } = await import('./lib/server/prepare-web');
  await prepareWebProcess();
}
