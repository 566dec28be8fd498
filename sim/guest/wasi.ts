// The WASI preview 1 imports of a C guest, served from the simulated kernel: the kernel owns
// the descriptor table, so fd_write, fd_read and fd_close are the process's write, read and
// close (blocking calls, suspended through Asyncify like every other); the rest answer as a
// process with no preopened directories, no arguments past its name, no environment, a clock
// at 0 and a fixed random stream would (determinism: nothing comes from the host).
// @wasmer/wasi is the reference for what these return (issue 19).

import { errnoOf, type Guest } from "./runtime.js";
import { WASI_EBADF, WASI_ENOSYS, WASI_ESPIPE } from "./wasi-errno.js";

/** The iovecs at `iovs` (count `n`): [pointer, length] pairs. */
function iovecs(g: Guest, iovs: number, n: number): [number, number][] {
  const v = g.view();
  return Array.from({ length: n }, (_, i) =>
    [v.getUint32(iovs + 8 * i, true), v.getUint32(iovs + 8 * i + 4, true)]);
}

function fdWrite(g: Guest, fd: number, iovs: number, n: number, out: number): number {
  return g.suspend({ kind: "call", run: async () => {
    const parts = iovecs(g, iovs, n).map(([at, len]) => g.bytes(at, len));
    const data = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
    parts.reduce((off, p) => (data.set(p, off), off + p.length), 0);
    try {
      const wrote = await g.os.write(fd, data);
      g.view().setUint32(out, wrote, true);
      return 0;
    } catch (e) {
      return errnoOf(e);
    }
  } });
}

function fdRead(g: Guest, fd: number, iovs: number, n: number, out: number): number {
  return g.suspend({ kind: "call", run: async () => {
    const vecs = iovecs(g, iovs, n);
    try {
      const data = await g.os.read(fd, vecs.reduce((s, [, len]) => s + len, 0));
      let off = 0;
      for (const [at, len] of vecs) {
        const part = data.subarray(off, off + len);
        g.put(at, part);
        off += part.length;
      }
      g.view().setUint32(out, data.length, true);
      return 0;
    } catch (e) {
      return errnoOf(e);
    }
  } });
}

/** A fixed xorshift stream for random_get: the same bytes in every run. */
function randomFill(g: Guest, at: number, n: number): number {
  let x = 0x9e3779b9;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = x & 0xff;
  }
  g.put(at, out);
  return 0;
}

/** argv[0]: the program's name, NUL-terminated. */
const argv0 = (g: Guest) => new TextEncoder().encode(`${g.name}\0`);

export function wasiImports(h: { g: Guest }): Record<string, (...a: never[]) => number> {
  const known: Record<string, (...a: any[]) => number> = {
    fd_write: (fd: number, iovs: number, n: number, out: number) => fdWrite(h.g, fd, iovs, n, out),
    fd_read: (fd: number, iovs: number, n: number, out: number) => fdRead(h.g, fd, iovs, n, out),
    fd_close: (fd: number) => h.g.suspend({ kind: "call", run: async () => {
      try {
        await h.g.os.close(fd);
        return 0;
      } catch (e) {
        return errnoOf(e);
      }
    } }),
    proc_exit: (code: number) => h.g.suspend({ kind: "exit", code }),
    // Not a terminal (so stdout is fully buffered, as a program's output to /dev/null or a
    // pipe is on Linux): an unknown file type with every right.
    fd_fdstat_get: (_fd: number, at: number) => {
      const v = h.g.view();
      v.setUint8(at, 0);
      v.setUint16(at + 2, 0, true);
      v.setBigUint64(at + 8, ~0n, true);
      v.setBigUint64(at + 16, ~0n, true);
      return 0;
    },
    fd_seek: () => WASI_ESPIPE,
    fd_prestat_get: () => WASI_EBADF,
    args_sizes_get: (argc: number, size: number) => {
      h.g.view().setUint32(argc, 1, true);
      h.g.view().setUint32(size, argv0(h.g).length, true);
      return 0;
    },
    args_get: (argv: number, buf: number) => {
      h.g.view().setUint32(argv, buf, true);
      h.g.put(buf, argv0(h.g));
      return 0;
    },
    environ_sizes_get: (count: number, size: number) => {
      h.g.view().setUint32(count, 0, true);
      h.g.view().setUint32(size, 0, true);
      return 0;
    },
    environ_get: () => 0,
    clock_time_get: (_id: number, _precision: bigint, at: number) => {
      h.g.view().setBigUint64(at, 0n, true);
      return 0;
    },
    random_get: (at: number, n: number) => randomFill(h.g, at, n),
  };
  return new Proxy(known, { get: (t, k: string) => t[k] ?? (() => WASI_ENOSYS) });
}
