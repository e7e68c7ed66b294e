import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    // s3rver encrypts ListObjectsV2 continuation tokens with DES, which Node 20's OpenSSL refuses
    // without the legacy provider (see docs/stack notes); truncated listings would answer 500.
    execArgv: ['--openssl-legacy-provider'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
