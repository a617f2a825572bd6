import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Native modules and the generated Prisma runtime load from node_modules at run time.
  serverExternalPackages: [
    'better-sqlite3',
    'argon2',
    '@prisma/adapter-better-sqlite3',
    '@prisma/client',
    '@mongodb-js/zstd',
    'ssh2',
    'ssh2-sftp-client',
    '@aws-sdk/client-s3',
  ],
};

export default nextConfig;
