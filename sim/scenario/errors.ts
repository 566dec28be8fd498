// The errors a scenario sees and raises: ErrnoError (a call failed, as Node's fs reports it),
// AssertionFailure (os.assert).
//
// `instanceof ErrnoError` works across copies of the library (a scenario bundled with its own
// copy of "ipcsim" and run by the CLI's copy): the classes carry a global brand.

import type { ErrnoName } from "../../wasm/abi.js";
import { STRERROR } from "../trace/strace.js";

const ERRNO_BRAND = Symbol.for("ipcsim.ErrnoError");
const ASSERT_BRAND = Symbol.for("ipcsim.AssertionFailure");

/** A call failed: `code` is the errno name ("EAGAIN"), `syscall` the call, as in Node's fs. */
export class ErrnoError extends Error {
  override name = "ErrnoError";
  readonly [ERRNO_BRAND] = true;
  /** The errno value (positive, Linux x86_64). */
  readonly errno: number;
  /** nanosleep and a relative clock_nanosleep interrupted by a handler (EINTR): the time
   * left, as the kernel wrote it back. */
  rem?: { sec: number; nsec: number };
  constructor(
    readonly code: ErrnoName,
    errno: number,
    readonly syscall: string,
    readonly pid: number,
  ) {
    super(`${code}: ${STRERROR[code] ?? "error"}, ${syscall} (pid ${pid})`);
    this.errno = errno;
  }

  static override [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === "object" && x !== null &&
      (x as Record<symbol, unknown>)[ERRNO_BRAND] === true;
  }
}

/** os.assert(condition, message) failed. */
export class AssertionFailure extends Error {
  override name = "AssertionFailure";
  readonly [ASSERT_BRAND] = true;
  constructor(message: string, readonly pid: number) {
    super(message);
  }

  static override [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === "object" && x !== null &&
      (x as Record<symbol, unknown>)[ASSERT_BRAND] === true;
  }
}

