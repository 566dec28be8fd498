import { describe, expect, test } from "vitest";
import { CALL_NAMES, CALL_TABLE, type CallSpec } from "../../wasm/calls.js";
import { lacksDecoder, lacksEncoder, outputRegister } from "./calls.js";

const row = (over: Partial<CallSpec>): CallSpec => ({
  nr: 2000, mechanism: "proc", args: [], outputs: [], host: {}, doc: "",
  kernel: { file: "proc", fn: "sysX", regs: [] }, ...over,
});

describe("the engine's issue path reads the call table", () => {
  test("every call is issued from its row or by its encoder, and decoded likewise", () => {
    expect(CALL_NAMES.filter(lacksEncoder)).toEqual([]);
    expect(CALL_NAMES.filter(lacksDecoder)).toEqual([]);
  });

  test("an output buffer goes where the row's kernel.regs leaves a u32 for it", () => {
    expect(outputRegister("read", CALL_TABLE.read)).toBe(1);
    expect(outputRegister("load", CALL_TABLE.load)).toBe(1);
    expect(outputRegister("pipe", CALL_TABLE.pipe)).toBe(0);
    expect(outputRegister("waitpid", CALL_TABLE.waitpid)).toBe(1);
    expect(outputRegister("sigprocmask", CALL_TABLE.sigprocmask)).toBe(3);
    expect(outputRegister("sigpending", CALL_TABLE.sigpending)).toBe(0);
    expect(outputRegister("kill", CALL_TABLE.kill)).toBe(-1);
  });

  test("a new call with integer arguments and no outputs needs only its row", () => {
    expect(outputRegister("getppid", row({}))).toBe(-1);
    const sigqueue = row({
      args: [
        { name: "target", kind: "target" }, { name: "sig", kind: "signal" },
        { name: "value", kind: "sigval" },
      ],
      kernel: { file: "signal", fn: "sysSigqueue", regs: ["i32", "i32", "i32"] },
    });
    expect(outputRegister("sigqueue", sigqueue)).toBe(-1);
  });

  test("a row whose registers its arguments do not fill asks for an encoder", () => {
    const bad = row({
      args: [{ name: "fd", kind: "fd" }], kernel: { file: "file", fn: "f", regs: [] },
    });
    expect(() => outputRegister("bad", bad)).toThrow(/do not fit kernel.regs.*ENCODERS/);
    const sops = row({ args: [{ name: "sops", kind: "sops" }] });
    expect(() => outputRegister("bad", sops)).toThrow(/sops needs an encoder/);
  });
});
