import { defineConfig } from "vitest/config";

// Tests live in test/ as TypeScript; tsc also emits compiled copies under dist/, which must not run.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["dist/**", "node_modules/**"],
  },
});
