import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{sim,wasm,host-bridge,properties,kernel,examples,bench}/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
