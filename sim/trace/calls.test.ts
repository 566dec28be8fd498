// The call table against the ABI and against docs/trace-format.md, so that neither drifts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { CALLS, FASYNC_ABI, FLAGS, SI_CODE } from "../../wasm/abi.js";
import { CALL_NAMES, FIELDS, NAMES, OPEN_NAMES } from "./calls.js";
import { callTableMarkdown, withCallTable } from "./calls-doc.js";

const root = join(import.meta.dirname, "../..");
const docs = readFileSync(join(root, "docs/trace-format.md"), "utf8");

describe("the call table", () => {
  test("lists exactly the ABI's calls", () => {
    expect([...CALL_NAMES].sort()).toEqual(Object.keys(CALLS).sort());
  });

  test("every name a flag argument accepts has the ABI's value", () => {
    const abi = new Map<string, number[]>();
    // FASYNC_ABI: f_owner_ex.type; SI_CODE: rt_tgsigqueueinfo's code.
    for (const group of [...Object.values(FLAGS), FASYNC_ABI, SI_CODE]) {
      for (const [name, value] of Object.entries(group)) {
        abi.set(name, [...(abi.get(name) ?? []), value]);
      }
    }
    for (const names of Object.values(NAMES)) {
      for (const [name, value] of Object.entries(names)) {
        // HANDLERS, not FLAGS
        if (name.startsWith("SIG_") || name === "catch" || name === "calls") continue;
        if (Object.hasOwn(LINUX_O, name) || name === "O_NOTIFICATION_PIPE") continue; // below
        expect(abi.get(name), name).toContain(value);
      }
    }
  });

  // Defect (issue 21): the trace refused O_ names the call does not take (pipe2 with O_APPEND)
  // before Linux could refuse them.
  test("open-style flags take every O_ name of Linux's fcntl.h and glibc's, with Linux's value",
    () => {
      expect(OPEN_NAMES).toEqual(LINUX_O);
      expect(NAMES.pipe).toEqual({ ...LINUX_O, O_NOTIFICATION_PIPE: 0o200 });
    });
});

/** include/uapi/asm-generic/fcntl.h (x86_64) and glibc's bits/fcntl-linux.h, copied. */
const LINUX_O: Record<string, number> = {
  O_ACCMODE: 0o3, O_RDONLY: 0o0, O_WRONLY: 0o1, O_RDWR: 0o2, O_CREAT: 0o100, O_EXCL: 0o200,
  O_NOCTTY: 0o400, O_TRUNC: 0o1000, O_APPEND: 0o2000, O_NONBLOCK: 0o4000, O_NDELAY: 0o4000,
  O_DSYNC: 0o10000, FASYNC: 0o20000, O_ASYNC: 0o20000, O_DIRECT: 0o40000,
  O_LARGEFILE: 0o100000, O_DIRECTORY: 0o200000, O_NOFOLLOW: 0o400000, O_NOATIME: 0o1000000,
  O_CLOEXEC: 0o2000000, __O_SYNC: 0o4000000, O_SYNC: 0o4010000, O_RSYNC: 0o4010000,
  O_FSYNC: 0o4010000, O_PATH: 0o10000000, __O_TMPFILE: 0o20000000, O_TMPFILE: 0o20200000,
};

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
