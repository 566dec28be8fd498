// wasm/abi.ts is the one source of the ABI's numbers: where another language restates one (the
// C agent's headers), this checks that the two agree.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { TEST_CALLS, UAPI } from "./abi.js";

const root = join(import.meta.dirname, "..");

function cDefine(file: string, name: string): number | undefined {
  const text = readFileSync(join(root, file), "utf8");
  const m = new RegExp(`^#define\\s+${name}\\s+(\\d+)`, "m").exec(text);
  return m ? Number(m[1]) : undefined;
}

describe("the ABI tables", () => {
  test("the agent's CALL_SPIN is TEST_CALLS.spin", () => {
    expect(cDefine("host-bridge/agent/agent.h", "CALL_SPIN")).toBe(TEST_CALLS.spin);
    expect(cDefine("host-bridge/agent/agent.h", "CALL_RAW_SYSCALL")).toBe(TEST_CALLS.rawSyscall);
  });

  test("every UAPI struct's fields lie inside its size, in order", () => {
    for (const [name, fields] of Object.entries(UAPI)) {
      const { size, ...rest } = fields as Record<string, number>;
      const offsets = Object.values(rest);
      expect([...offsets].sort((a, b) => a - b), name).toEqual(offsets);
      if (size !== undefined) expect(Math.max(...offsets), name).toBeLessThan(size);
    }
  });
});
