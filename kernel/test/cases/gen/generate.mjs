// Writes the kernel behaviour corpus (kernel/test/cases/*.jsonl) from the case definitions in
// this directory that carry their own expectations (pipe, fifo, fd, proc, msg, sem). The
// generated traces are committed; run this after editing a definition:
//
//   node kernel/test/cases/gen/generate.mjs [--out DIR]
//
// --out writes elsewhere (to compare with the committed files: diff -r). The sig, shm, mmap and
// mem cases take their expectations from Linux instead: record.mjs writes them.
//
// Each definition names the rule it checks and where Linux implements it (the header's
// description); the builder (lib.mjs) numbers the steps and writes every expectation.

import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cases as audit } from "./audit.mjs";
import { cases as fd } from "./fd.mjs";
import { cases as fifo } from "./fifo.mjs";
import { cases as msg } from "./msg.mjs";
import { cases as pipe } from "./pipe.mjs";
import { cases as proc } from "./proc.mjs";
import { cases as sem } from "./sem.mjs";
import { cases as sysv } from "./sysv-audit.mjs";

// The directory is shared with the recorded areas' cases (sig-*, shm-*, ...): this script only
// writes its own files and never deletes any; a case renamed here leaves its old file to remove
// by hand.
const args = process.argv.slice(2);
const outAt = args.indexOf("--out");
const out = outAt >= 0 ? args[outAt + 1] : join(dirname(fileURLToPath(import.meta.url)), "..");
const AREAS = ["pipe-", "fifo-", "fd-", "proc-", "msg-", "sem-"];
const names = new Set();
for (const make of [...pipe, ...fifo, ...fd, ...proc, ...msg, ...sem]) {
  const c = make();
  if (names.has(c.name)) throw new Error(`two cases named ${c.name}`);
  names.add(c.name);
  c.write(out);
}
console.log(`${names.size} cases written to ${out}`);
// msg-, sem-, pipe-, fd- and proc- cases recorded from Linux (record.mjs) are not stale.
for (const c of [...sysv, ...audit]) names.add(c.name);
const stale = readdirSync(out).filter((f) => AREAS.some((a) => f.startsWith(a)) &&
  f.endsWith(".jsonl") && !names.has(f.slice(0, -".jsonl".length)));
if (stale.length) {
  console.log(`not generated here any more (remove by hand if obsolete): ${stale.join(", ")}`);
}
