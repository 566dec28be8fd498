// The call table against the ABI and against docs/trace-format.md, so that neither drifts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { CALLS, FLAGS } from "../../wasm/abi.js";
import { CALL_NAMES, FIELDS, NAMES } from "./calls.js";
import { callTableMarkdown, withCallTable } from "./calls-doc.js";

const root = join(import.meta.dirname, "../..");
const docs = readFileSync(join(root, "docs/trace-format.md"), "utf8");

describe("the call table", () => {
  test("lists exactly the ABI's calls", () => {
    expect([...CALL_NAMES].sort()).toEqual(Object.keys(CALLS).sort());
  });

  test("every name a flag argument accepts has the ABI's value", () => {
    const abi = new Map<string, number[]>();
    for (const group of Object.values(FLAGS)) {
      for (const [name, value] of Object.entries(group)) {
        abi.set(name, [...(abi.get(name) ?? []), value]);
      }
    }
    for (const names of Object.values(NAMES)) {
      for (const [name, value] of Object.entries(names)) {
        if (name.startsWith("SIG_") || name === "catch") continue; // HANDLERS, not FLAGS
        expect(abi.get(name), name).toContain(value);
      }
    }
  });
});

describe("docs/trace-format.md is current", () => {
  const section = docs.split("## Calls in version 1")[1].split("\n## ")[0];
  const callRows = section.split("\n").filter((l) => /^\| `[a-z0-9_]+`/.test(l));

  test("its call table has one row per call, in the table's order, with its fields", () => {
    const documented = callRows.map((l) => /^\| `([a-z0-9_]+)`/.exec(l)?.[1]);
    expect(documented).toEqual(CALL_NAMES);
    callRows.forEach((row, i) => {
      const call = CALL_NAMES[i];
      for (const field of FIELDS[call]) expect(row, call).toContain(`\`${field}\``);
    });
  });

  test("its call table is the one rendered from wasm/calls.ts (npm run docs)", () => {
    expect(section).toContain(callTableMarkdown());
    expect(withCallTable(docs), "npm run docs would rewrite it").toBe(docs);
  });

  test("it lists every flag and command name", () => {
    for (const names of Object.values(NAMES)) {
      for (const name of Object.keys(names)) expect(docs).toContain(`\`${name}\``);
    }
  });

  test("its example is testdata/pipe-eof.jsonl", () => {
    const file = readFileSync(join(import.meta.dirname, "testdata/pipe-eof.jsonl"), "utf8");
    const example = /`sim\/trace\/testdata\/pipe-eof\.jsonl`:\n\n```\n([^`]*)```/.exec(docs)?.[1];
    expect(example).toBe(file.replace(/\n\n+/g, "\n"));
  });
});
