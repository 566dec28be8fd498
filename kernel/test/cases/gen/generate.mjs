// Writes the kernel behaviour corpus (kernel/test/cases/*.jsonl) from the case definitions in
// this directory. The generated traces are committed; run this after editing a definition:
//
//   node kernel/test/cases/gen/generate.mjs
//
// Each definition names the rule it checks and where Linux implements it (the header's
// description); the builder (lib.mjs) numbers the steps and writes every expectation.

import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cases as fd } from "./fd.mjs";
import { cases as fifo } from "./fifo.mjs";
import { cases as pipe } from "./pipe.mjs";
import { cases as proc } from "./proc.mjs";

// The directory is shared with other areas' cases (sem-*, msg-*, ...): this script only writes
// its own files and never deletes any; a case renamed here leaves its old file to remove by hand.
const out = join(dirname(fileURLToPath(import.meta.url)), "..");
const AREAS = ["pipe-", "fifo-", "fd-", "proc-"];
const names = new Set();
for (const make of [...pipe, ...fifo, ...fd, ...proc]) {
  const c = make();
  if (names.has(c.name)) throw new Error(`two cases named ${c.name}`);
  names.add(c.name);
  c.write(out);
}
console.log(`${names.size} cases written to ${out}`);
const stale = readdirSync(out).filter((f) => AREAS.some((a) => f.startsWith(a)) && f.endsWith(".jsonl") &&
  !names.has(f.slice(0, -".jsonl".length)));
if (stale.length) console.log(`not generated here any more (remove by hand if obsolete): ${stale.join(", ")}`);
