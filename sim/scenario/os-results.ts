// How the scenario `os` methods read a call's result (module constants: no closure per call).

import type { SignalName } from "../../wasm/abi.js";
import type { MsqidDs, SemidDs, ShmidDs } from "../model/sysv.js";
import type { Itimerspec, Itimerval, Result, Timespec, Timeval } from "../trace/types.js";
import type { Message, WaitResult } from "./os-types.js";

type Ok = Exclude<Result, "blocked">;

export const RET = (r: Ok): number => r.ret as number;
export const FDS = (r: Ok) => r.fds as [number, number];
export const DATA = (r: Ok) => r.data as Uint8Array;
export const WAIT = (r: Ok): WaitResult =>
  r.status ? { pid: r.ret as number, status: r.status } : { pid: r.ret as number };
export const MSG = (r: Ok): Message => ({ mtype: r.mtype as number, data: r.data as Uint8Array });
export const OLDSET = (r: Ok): SignalName[] => r.oldset ?? [];
export const SET = (r: Ok): SignalName[] => r.set ?? [];
export const TP = (r: Ok) => r.tp as Timespec;
export const RES = (r: Ok) => r.res as Timespec;
export const TV = (r: Ok) => r.tv as Timeval;
export const TIMERID = (r: Ok) => r.timerid as number;
export const OLD_ITIMERVAL = (r: Ok) => r.old as Itimerval;
export const CURR_ITIMERVAL = (r: Ok) => r.curr as Itimerval;
export const OLD_ITIMERSPEC = (r: Ok) => r.old as Itimerspec;
export const CURR_ITIMERSPEC = (r: Ok) => r.curr as Itimerspec;
export const NEVER = (): never => {
  throw new Error("assertion: exit returned");
};
/** A ctl's result: GETALL's values, IPC_STAT's stat (typed by the call), else the return. */
function ctl<S>(r: Ok): S | number | number[] {
  return r.values ?? (r.stat as S | undefined) ?? (r.ret as number);
}
export const MSQ_CTL = (r: Ok) => ctl<MsqidDs>(r) as MsqidDs | number;
export const SHM_CTL = (r: Ok) => ctl<ShmidDs>(r) as ShmidDs | number;
export const SEM_CTL = (r: Ok) => ctl<SemidDs>(r);
