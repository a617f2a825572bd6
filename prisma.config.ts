import { defineConfig } from 'prisma/config';

// Only `prisma generate` uses this file: migrations are applied by our own runner
// (lib/core/db/migrate.ts) because the schema engine cannot be downloaded offline.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
