// A scenario's sysctls (issue 13, "The text views": a misspelt sysctl is named as unknown with
// the known ones, not "not modelled").

import { expect, test } from "vitest";
import { CALLS, ERRNO, FLAGS } from "../../wasm/abi.js";
import { Kernel } from "../../wasm/kernel.js";
import { applyParams } from "./params.js";

const header = (params: Record<string, number>) =>
  ({ file: "s.ts", header: { trace: "ipcsim" as const, version: 1 as const, params } });

test("a misspelt sysctl is unknown, with the nearest and the known ones (main: not modelled)",
  () => {
    const k = new Kernel();
    expect(() => applyParams(k, header({ "kernel.msgmnx": 5 }))).toThrow(
      's.ts: params: unknown sysctl "kernel.msgmnx" (did you mean "kernel.msgmax"?); ' +
      "the known ones: fs.pipe-max-size, kernel.msgmax,");
    expect(() => applyParams(k, header({ "fs.pipe-user-pages-soft": 5 }))).toThrow(
      /"fs.pipe-user-pages-soft" is not modelled \(the model sets fs.pipe-max-size, /);
    applyParams(k, header({ "kernel.msgmax": 100 }));
  });

test("the tmpfs options: size rounds up to pages; 0 (no limit on Linux) and more than the " +
  "model's tables are refused, naming what it holds", () => {
  const k = new Kernel();
  applyParams(k, header({ "tmpfs.size": 4097, "tmpfs.nr_inodes": 3 }));
  const io = k.ioBase;
  const open = (name: string) => {
    expect(k.poke(2, io, new TextEncoder().encode(`${name}\0`))).toBe(true);
    return k.syscall(2, CALLS.open, io, FLAGS.open.O_CREAT | FLAGS.open.O_RDWR, 0o600);
  };
  const fd = open("a");
  expect(k.syscall(2, CALLS.pwrite64, fd, io + 0x1000, 3 * 4096, 0)).toBe(2 * 4096);
  expect(open("b")).toBeGreaterThan(fd);
  expect(open("c")).toBe(-ERRNO.ENOSPC); // the root, a and b
  for (const [name, v, holds] of [
    ["tmpfs.size", 0, "1 byte to 4 MiB"], ["tmpfs.size", 4 * 1048576 + 1, "1 byte to 4 MiB"],
    ["tmpfs.nr_inodes", 0, "1 to 1024"], ["tmpfs.nr_inodes", 1025, "1 to 1024"],
  ] as const) {
    expect(() => applyParams(new Kernel(), header({ [name]: v }))).toThrow(
      `s.ts: params: ${name} = ${v} is outside what the model can hold (it holds ${holds})`);
  }
});
