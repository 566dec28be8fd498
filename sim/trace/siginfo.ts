// A siginfo in traces: sigtimedwait's `info` output (docs/trace-format.md "Signals"),
// `{"signo": "SIGUSR1", "code": "SI_USER", "pid": 3, "uid": 0, "status": 0, "value": 0}`.
// `code` is the si_code's name: an SI_ name, or for SIGCHLD a CLD_ name (the two share
// numbers); one without a name is its number. `pid` is si_pid (0 from the kernel, and for
// SI_TIMER and POLL_ codes, whose union holds other fields there), `uid` si_uid (0: every
// traced process is root), `status` a SIGCHLD's si_status (the exit code, or the signal),
// `value` si_value's sival_int (SI_QUEUE, SI_TIMER, SI_MESGQ); the fields a code does not
// carry are 0.

import { CLD_CODE, SIGNALS, SI_CODE, type SignalName } from "../../wasm/abi.js";
import { signalName, signalNumber } from "../../wasm/names.js";
import type { At } from "./decode.js";

export interface Siginfo {
  signo: SignalName;
  code: string | number;
  pid: number;
  uid: number;
  status: number;
  value: number;
}

const FIELDS = ["signo", "code", "pid", "uid", "status", "value"] as const;

/** The name of si_code `code` of signal `signo`, or the number. */
function siCodeName(signo: number, code: number): string | number {
  const table: Record<string, number> = signo === SIGNALS.SIGCHLD && code > 0
    ? CLD_CODE : SI_CODE;
  const name = Object.keys(table).find((k) => table[k] === code);
  return name ?? code;
}

/** Does si_code carry si_value? */
function siCodeHasValue(code: number): boolean {
  return code === SI_CODE.SI_QUEUE || code === SI_CODE.SI_TIMER || code === SI_CODE.SI_MESGQ;
}

/** Is (signo, code) a SIGCHLD's CLD_ code, which carries si_status? */
function siCodeHasStatus(signo: number, code: number): boolean {
  return signo === SIGNALS.SIGCHLD && code >= CLD_CODE.CLD_EXITED &&
    code <= CLD_CODE.CLD_CONTINUED;
}

/** Does si_code carry si_pid and si_uid? The codes a process sends (SI_USER, SI_QUEUE,
 * SI_TKILL, SI_MESGQ: 0 and below) but SI_TIMER, whose union holds the timer's id there, and a
 * SIGCHLD's CLD_ codes. The kernel's own codes do not: SI_KERNEL's are 0, and a POLL_ code's
 * (F_SETSIG) union holds si_band and si_fd there, which traces do not show. */
function siCodeHasPid(signo: number, code: number): boolean {
  return (code <= 0 && code !== SI_CODE.SI_TIMER) || siCodeHasStatus(signo, code);
}

/** A siginfo as numbers (a scenario handler's `info`): `value` only where the code has one. */
export interface SiginfoNumbers {
  signo: number;
  code: number;
  pid: number;
  uid: number;
  status: number;
  value?: number;
}

/** The fields of a siginfo its code carries (as the kernel's copy and the host agent's both
 * give them): the others 0, `value` left out. */
export function siginfoNumbers(
  signo: number, code: number, pid: number, uid: number, status: number, value: number,
): SiginfoNumbers {
  const sender = siCodeHasPid(signo, code);
  const n: SiginfoNumbers = {
    signo, code, pid: sender ? pid : 0, uid: sender ? uid : 0,
    status: siCodeHasStatus(signo, code) ? status : 0,
  };
  if (siCodeHasValue(code)) n.value = value;
  return n;
}

/** A siginfo from its numbers, as traces write it. */
export function siginfoOf(
  signo: number, code: number, pid: number, uid: number, status: number, value: number,
): Siginfo {
  const n = siginfoNumbers(signo, code, pid, uid, status, value);
  return {
    signo: signalName(signo), code: siCodeName(signo, code), pid: n.pid, uid: n.uid,
    status: n.status, value: n.value ?? 0,
  };
}

function intField(v: unknown, at: At): number {
  if (typeof v === "number" && Number.isInteger(v) && Math.abs(v) <= 2 ** 31) return v;
  return at.expected("a C int", v);
}

/** A trace's `info`: every field required. */
export function siginfoAt(v: unknown, at: At): Siginfo {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    return at.expected('{"signo", "code", "pid", "uid", "status", "value"}', v);
  }
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      at.field(key).fail(`unknown field (a siginfo has ${FIELDS.join(", ")})`);
    }
  }
  const signo = typeof o.signo === "string" ? signalNumber(o.signo) : undefined;
  if (signo === undefined) at.field("signo").expected("a signal name", o.signo);
  const code = typeof o.code === "string" ? o.code : intField(o.code, at.field("code"));
  return {
    signo: signalName(signo as number), code,
    pid: intField(o.pid, at.field("pid")), uid: intField(o.uid, at.field("uid")),
    status: intField(o.status, at.field("status")), value: intField(o.value, at.field("value")),
  };
}

export function siginfoToJson(s: Siginfo): Record<string, string | number> {
  return {
    signo: s.signo, code: s.code, pid: s.pid, uid: s.uid, status: s.status, value: s.value,
  };
}

export function siginfoEqual(e: Siginfo, a: Siginfo): boolean {
  return FIELDS.every((k) => e[k] === a[k]);
}
