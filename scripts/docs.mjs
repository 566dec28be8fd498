// `npm run docs`: rewrite the generated parts of the docs from the call table.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { importTs } from "./load-ts.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { withCallTable } = await importTs(join(root, "sim/trace/calls-doc.ts"));
const file = join(root, "docs/trace-format.md");
const before = readFileSync(file, "utf8");
const after = withCallTable(before);
if (after !== before) writeFileSync(file, after);
console.log(after === before
  ? "docs/trace-format.md is current"
  : "docs/trace-format.md rewritten");
