// Run a TypeScript entry point: `node scripts/run-ts.mjs bench/main.ts [args...]`.
// The entry receives its own arguments in process.argv.slice(2), as if run directly.
import { importTs } from "./load-ts.mjs";

const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node scripts/run-ts.mjs FILE.ts [args...]");
  process.exit(2);
}
process.argv = [process.argv[0], entry, ...rest];
const mod = await importTs(entry);
if (typeof mod.main === "function") {
  const code = await mod.main(rest);
  if (typeof code === "number") process.exitCode = code;
}
