import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

/** Load .wasm imports as their bytes, as esbuild's binary loader does in the bundles. */
const wasmBinary = {
  name: "wasm-binary",
  enforce: "pre" as const,
  load(id: string) {
    if (!id.endsWith(".wasm")) return null;
    const b64 = readFileSync(id).toString("base64");
    return `export default Uint8Array.from(atob(${JSON.stringify(b64)}), (c) => c.charCodeAt(0));`;
  },
};

export default defineConfig({
  plugins: [wasmBinary],
  test: {
    include: ["{cli,sim,wasm,host-bridge,properties,kernel,examples,bench,scripts}/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
