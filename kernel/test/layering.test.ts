// The kernel's layers (kernel/README.md, "Layers"): every kernel/*.ts file is in exactly one
// layer, and imports only from its own layer or the layers below it. An upper layer's function
// that a lower one must call goes through the one hook table, kernel/hooks.ts (in "base",
// filled by index.ts k_init).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

const kernel = join(import.meta.dirname, "..");

/** Bottom first. A file may import from its own layer and any layer listed before it. */
const LAYERS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ["base", ["abi", "param", "uapi", "sysctl", "proc", "hooks", "time", "timer"]],
  ["memory", ["mem", "event", "shmem", "vma", "vm", "mmap", "mprotect", "uio"]],
  ["wait queues", ["wait", "pollwait"]],
  ["files", ["file", "fasync", "fcntl", "fcntl_lock", "locks", "pipe", "fifo", "inode",
    "pagecache", "dir", "namei", "fs", "open", "regfile", "filemap", "unix", "unix_stream",
    "unix_dgram", "unix_queue", "unix_name", "unix_conn", "unix_opt"]],
  ["mechanisms", ["ipc", "msg", "sem", "semop", "shm", "futex", "mqueue", "mqueue_read"]],
  ["signals", ["signal", "siginfo", "sigqueue", "sigdeliver", "sigframe", "sigaltstack",
    "signalfd", "fault", "itimer"]],
  ["process lifecycle", ["fork", "exit"]],
  ["syscall entry", ["syscall", "dispatch", "poll", "epoll", "sys_file", "pathat", "sys_fs",
    "sys_names", "sys_iov", "sys_ipc", "sys_mem", "sys_proc", "sys_signal", "sigwait", "index",
    "check", "views"]],
];

function layerOf(file: string): number {
  const i = LAYERS.findIndex(([, files]) => files.includes(file));
  if (i >= 0) return i;
  // New syscall entry files (sys_*.ts) need no listing.
  return file.startsWith("sys_") ? LAYERS.length - 1 : -1;
}

const files = readdirSync(kernel)
  .filter((f) => f.endsWith(".ts"))
  .map((f) => f.slice(0, -3))
  .sort();

/** Every `import ... from "./x"` of a file (multi-line imports included). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(kernel, `${file}.ts`), "utf8");
  return [...text.matchAll(/^import\s[^;]*?from\s+"\.\/([\w-]+)"/gms)].map((m) => m[1]);
}

describe("kernel layering", () => {
  test("every kernel file is in a layer", () => {
    const unplaced = files.filter((f) => layerOf(f) < 0);
    expect(unplaced, "add these to LAYERS here and to kernel/README.md's diagram").toEqual([]);
  });

  test("no file imports from a layer above its own", () => {
    const upward: string[] = [];
    for (const file of files) {
      const own = layerOf(file);
      for (const dep of importsOf(file)) {
        const theirs = layerOf(dep);
        if (theirs > own) {
          upward.push(`${file}.ts (${LAYERS[own][0]}) imports ./${dep} (${LAYERS[theirs][0]})`);
        }
      }
    }
    expect(upward, "call upward through kernel/hooks.ts instead").toEqual([]);
  });

  test("the README's layer diagram lists the same files", () => {
    const readme = readFileSync(join(kernel, "README.md"), "utf8");
    const lines = (readme.split("## Layers")[1]?.split("\n## ")[0] ?? "").split("\n");
    for (const [name, layerFiles] of LAYERS) {
      const at = lines.findIndex((l) => l.includes(`${name}:`));
      expect(at, `README layer "${name}"`).toBeGreaterThanOrEqual(0);
      // The layer's line and its continuation lines (no other layer's name, not the arrow).
      let line = lines[at];
      const continues = (l: string | undefined) =>
        l !== undefined && /\.ts/.test(l) && !l.includes(":");
      for (let i = at + 1; continues(lines[i]); i++) line += lines[i];
      for (const f of layerFiles) {
        if (!files.includes(f)) continue; // dispatch.ts may not exist yet
        expect(line, `README layer "${name}" lists ${f}.ts`).toContain(`${f}.ts`);
      }
    }
  });

  test("the import parser sees imports", () => {
    expect(importsOf("msg")).toContain("ipc");
    expect(importsOf("index").length).toBeGreaterThan(10);
  });
});
