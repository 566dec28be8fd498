// Virtual time: clocks, sleeps, interval timers and POSIX timers. A STUB until the kernel
// part of issue 14 lands: every call gives ENOSYS.

import { ENOSYS } from "./abi";
import { Proc } from "./proc";

export function sysClockGettime(p: Proc, clock: i32, tp: u32): i32 { return -ENOSYS; }
export function sysClockGetres(p: Proc, clock: i32, res: u32): i32 { return -ENOSYS; }
export function sysGettimeofday(p: Proc, tv: u32, tz: u32): i32 { return -ENOSYS; }
export function sysTime(p: Proc, tloc: u32): i32 { return -ENOSYS; }
export function sysNanosleep(p: Proc, req: u32, rem: u32): i32 { return -ENOSYS; }
export function sysClockNanosleep(p: Proc, clock: i32, flags: i32, req: u32, rem: u32): i32 {
  return -ENOSYS;
}
export function sysAlarm(p: Proc, seconds: u32): i32 { return -ENOSYS; }
export function sysSetitimer(p: Proc, which: i32, value: u32, old: u32): i32 { return -ENOSYS; }
export function sysGetitimer(p: Proc, which: i32, curr: u32): i32 { return -ENOSYS; }
export function sysTimerCreate(p: Proc, clock: i32, sevp: u32, id: u32): i32 { return -ENOSYS; }
export function sysTimerSettime(p: Proc, id: i32, flags: i32, value: u32, old: u32): i32 {
  return -ENOSYS;
}
export function sysTimerGettime(p: Proc, id: i32, curr: u32): i32 { return -ENOSYS; }
export function sysTimerGetoverrun(p: Proc, id: i32): i32 { return -ENOSYS; }
export function sysTimerDelete(p: Proc, id: i32): i32 { return -ENOSYS; }
export function sysAdvance(p: Proc, sec: u32, nsec: u32): i32 { return -ENOSYS; }
