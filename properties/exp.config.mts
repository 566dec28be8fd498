import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";
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
  test: { include: ["properties/**/*.exp.ts"], testTimeout: 900_000, pool: "forks" },
});
