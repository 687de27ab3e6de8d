import { defineConfig } from "vitest/config";

// Tests live in test/ as TypeScript; tsc also emits compiled copies under dist/, which must not run.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["dist/**", "node_modules/**"],
    // Several suites spawn the CLI or real servers (Prometheus, the sidecar); on a 2-core machine
    // a cold Node start alone can take seconds, so the 5 s default is too tight to be meaningful.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
