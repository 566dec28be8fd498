// docs/trace.schema.json (schema.ts): committed as generated, every trace in the repository is
// valid under it line by line, and it refuses what the parser refuses, for the same reason.

import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseTrace, readTraceFile } from "./parse.js";
import { traceSchema, traceSchemaText } from "./schema.js";
import { errorOf, failure, HEADER } from "./testdata/parse-helpers.js";

const root = join(import.meta.dirname, "../..");
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
const validate = ajv.compile(traceSchema());

/** The trace files: the examples, the kernel's cases, the time cases, the codec's testdata. */
const DIRS = ["examples/traces", "kernel/test/cases", "bench/time-cases", "sim/trace/testdata"];
const files = DIRS.flatMap((dir) =>
  readdirSync(join(root, dir)).filter((f) => f.endsWith(".jsonl")).map((f) => join(dir, f)));

/** A trace's lines that are not blank or comments. */
function jsonLines(file: string): string[] {
  return readFileSync(join(root, file), "utf8").split("\n").map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

describe("docs/trace.schema.json", () => {
  test("is what `npm run docs` generates from the call table (run it after changing a row)", () => {
    expect(readFileSync(join(root, "docs/trace.schema.json"), "utf8")).toBe(traceSchemaText());
  });

  test("is a draft 2020-12 schema that ajv compiles in strict mode", () => {
    expect(traceSchema().$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(typeof validate).toBe("function");
  });

  test("every line of every trace in the repository is valid (the parser accepts them all)", () => {
    const counts: Record<string, number> = {};
    const invalid: string[] = [];
    for (const file of files) {
      readTraceFile(join(root, file)); // throws if the parser refuses it
      const dir = DIRS.find((d) => file.startsWith(d)) ?? "";
      counts[dir] = (counts[dir] ?? 0) + 1;
      jsonLines(file).forEach((line, i) => {
        if (validate(JSON.parse(line))) return;
        invalid.push(`${file} line ${i + 1}: ${ajv.errorsText(validate.errors)}`);
      });
    }
    expect(invalid).toEqual([]);
    expect(counts["examples/traces"]).toBeGreaterThanOrEqual(13);
    expect(counts["kernel/test/cases"]).toBeGreaterThanOrEqual(200);
    expect(counts["bench/time-cases"]).toBeGreaterThanOrEqual(6);
    expect(counts["sim/trace/testdata"]).toBeGreaterThanOrEqual(2);
  });
});

/** A refused line: the schema's error is at `path` with `keyword` (and `param`, when given, in
 * its params); the parser's message names `field`. */
interface Refusal {
  line: object;
  path: string;
  keyword: string;
  param?: Record<string, unknown>;
  field: string;
}

const REFUSED: Record<string, Refusal> = {
  "an unknown call": {
    line: { pid: 2, call: "frobnicate" }, path: "/call", keyword: "enum",
    field: 'unknown call "frobnicate"',
  },
  "a missing field": {
    line: { pid: 2, call: "close" }, path: "", keyword: "required",
    param: { missingProperty: "fd" }, field: 'field "fd": missing',
  },
  "a missing pid": {
    line: { call: "fork" }, path: "", keyword: "required", param: { missingProperty: "pid" },
    field: 'field "pid": missing',
  },
  "a field of the wrong type": {
    line: { pid: 2, call: "close", fd: "three" }, path: "/fd", keyword: "type",
    field: 'field "fd": expected an integer',
  },
  "an fd out of int's range (issue 13)": {
    line: { pid: 2, call: "close", fd: 4294967296 }, path: "/fd", keyword: "maximum",
    field: 'field "fd": expected an int -2147483648..2147483647',
  },
  "a sembuf's sem_num out of unsigned short's range": {
    line: { pid: 2, call: "semop", semid: 0, sops: [{ num: 65536, op: -1 }] },
    path: "/sops/0/num", keyword: "maximum", field: 'field "sops[0].num"',
  },
  "an unknown field (a typo)": {
    line: { pid: 2, call: "msgget", key: 1, flgs: [] }, path: "",
    keyword: "additionalProperties", param: { additionalProperty: "flgs" },
    field: 'field "flgs": unknown field',
  },
  "a flag name of another call": {
    line: { pid: 2, call: "semop", semid: 0, sops: [{ num: 0, op: -1, flags: ["MSG_NOERROR"] }] },
    path: "/sops/0/flags/0", keyword: "enum", field: 'field "sops[0].flags[0]": unknown name',
  },
  "a decimal mode": {
    line: { pid: 2, call: "mkfifo", path: "f", mode: 600 }, path: "/mode", keyword: "type",
    field: 'field "mode": expected an octal mode string',
  },
  "an expect on exit": {
    line: { pid: 2, call: "exit", expect: { ret: 0 } }, path: "",
    keyword: "additionalProperties", param: { additionalProperty: "expect" },
    field: 'field "expect": exit never returns',
  },
  "a pid on advance": {
    line: { pid: 2, call: "advance", by: { sec: 1 } }, path: "",
    keyword: "additionalProperties", param: { additionalProperty: "pid" },
    field: "advance is made by no process",
  },
  "an advance of a second's nanoseconds": {
    line: { call: "advance", by: { nsec: 1e9 } }, path: "/by/nsec", keyword: "maximum",
    field: 'field "by.nsec"',
  },
  "an errno with a ret other than -1": {
    line: { pid: 2, call: "close", fd: 3, expect: { ret: 0, errno: "EBADF" } },
    path: "/expect/ret", keyword: "const", field: 'field "expect.ret": expected -1',
  },
  "an address result of a call that returns none": {
    line: { pid: 2, call: "close", fd: 3, expect: { ret: "address" } }, path: "/expect/ret",
    keyword: "type", field: 'field "expect.ret": "address" is only a result of shmat and mmap',
  },
  "SETVAL without its value": {
    line: { pid: 2, call: "semctl", semid: 0, cmd: "SETVAL" }, path: "", keyword: "required",
    param: { missingProperty: "arg" }, field: 'field "arg": missing',
  },
  "IPC_SET without its buffer": {
    line: { pid: 2, call: "msgctl", msqid: 0, cmd: "IPC_SET" }, path: "", keyword: "required",
    param: { missingProperty: "buf" }, field: 'field "buf": missing',
  },
  "F_SETFL with a descriptor flag": {
    line: { pid: 2, call: "fcntl", fd: 3, cmd: "F_SETFL", arg: ["FD_CLOEXEC"] },
    path: "/arg/0", keyword: "enum", field: 'field "arg[0]": unknown name "FD_CLOEXEC"',
  },
  "odd hex digits": {
    line: { pid: 2, call: "write", fd: 4, data: { hex: "abc" } }, path: "/data/hex",
    keyword: "pattern", field: 'field "data.hex"',
  },
  "a wake without its result": {
    line: { pid: 2, call: "close", fd: 3, expect_events: [{ wake: 2, step: 0 }] },
    path: "/expect_events/0", keyword: "required", param: { missingProperty: "result" },
    field: 'field "expect_events[0].result": missing',
  },
  "an unknown signal name": {
    line: { pid: 2, call: "sigsuspend", mask: ["SIGFOO"] }, path: "/mask/0", keyword: "enum",
    field: 'field "mask[0]": expected a signal name',
  },
};

const HEADERS_REFUSED: Record<string, Refusal> = {
  "an unsupported version": {
    line: { trace: "ipcsim", version: 2 }, path: "/version", keyword: "const",
    field: 'field "version": unsupported trace version 2',
  },
  "an unknown sysctl": {
    line: { trace: "ipcsim", version: 1, params: { "kernel.msgmnbb": 1 } }, path: "/params",
    keyword: "additionalProperties", param: { additionalProperty: "kernel.msgmnbb" },
    field: 'field "params.kernel.msgmnbb": unknown sysctl',
  },
};

/** The schema's errors for `line`, or [] when it is valid. */
function schemaErrors(line: object): ErrorObject[] {
  return validate(line) ? [] : [...(validate.errors ?? [])];
}

describe("the schema refuses what the parser refuses, for the same reason", () => {
  test.each(Object.entries(REFUSED))("a step: %s", (_, r) => {
    const errors = schemaErrors(r.line);
    expect(errors.some((e) => e.instancePath === r.path && e.keyword === r.keyword &&
      Object.entries(r.param ?? {}).every(([k, v]) => e.params[k] === v)), ajv.errorsText(errors))
      .toBe(true);
    const earlier = '{"pid": 2, "call": "pipe"}';
    expect(failure(JSON.stringify(r.line), earlier)).toContain(r.field);
  });

  test.each(Object.entries(HEADERS_REFUSED))("a header: %s", (_, r) => {
    const errors = schemaErrors(r.line);
    expect(errors.some((e) => e.instancePath === r.path && e.keyword === r.keyword &&
      Object.entries(r.param ?? {}).every(([k, v]) => e.params[k] === v)), ajv.errorsText(errors))
      .toBe(true);
    expect(errorOf(() => parseTrace(JSON.stringify(r.line), "h.jsonl")).message)
      .toContain(r.field);
  });

  test("the header line of the parser's tests is valid, and a step is not a header", () => {
    expect(schemaErrors(JSON.parse(HEADER))).toEqual([]);
    expect(schemaErrors({ trace: "ipcsim", version: 1, call: "fork" })).not.toEqual([]);
  });
});
