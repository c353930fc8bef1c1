import { defineConfig } from 'vitest/config';

// One run covers everything: pure unit tests and tests against real peers (Kafka, Flink, the AWS
// emulator). Peers are started on demand by the global setup's peer service, once per run, and
// stopped by PID at the end (test/peers/README.md). The build runs first: the tests that run the real
// CLI spawn bin/run.js, which runs dist/.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/build-setup.ts', 'test/peers/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
    reporters: ['default'],
    setupFiles: ['test/setup.ts'],
    // The pinned AWS SDK line's notice that future releases need Node 22 is known (README).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
