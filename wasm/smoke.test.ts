import { test, expect } from "vitest";
import { Kernel } from "./kernel.js";
test("smoke", () => {
  const k = new Kernel();
  const io = k.ioBase;
  expect(k.syscall(2, 293, io, 0)).toBe(0);
  expect(k.peekI32(2, io)).toBe(3);
  expect(k.peekI32(2, io + 4)).toBe(4);
  k.poke(2, io + 100, new TextEncoder().encode("hello"));
  expect(k.syscall(2, 1, 4, io + 100, 5)).toBe(5);
  expect(k.syscall(2, 0, 3, io + 200, 100)).toBe(5);
  expect(new TextDecoder().decode(k.peek(2, io + 200, 5)!)).toBe("hello");
  k.check();
  expect(k.syscall(2, 0, 3, io + 200, 100)).toBe(-1000);
  expect(k.syscall(2, 0, 3, io + 200, 100)).toBe(-1002);
  k.check();
});
