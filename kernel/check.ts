// kernel_check(): assert every invariant of every table. The trace engine calls it after each
// step in tests; an assertion failure is a kernel bug (never a user error) and traps with the
// message naming the invariant.

import {
  PROC_BLOCKED, PROC_UNUSED, PROC_WOKEN, PROC_ZOMBIE, SYS_poll, SYS_ppoll, SYS_pselect6,
  SYS_select,
} from "./abi";
import { pollCheck, pollCheckProc } from "./pollwait";
import { pollQCheck } from "./poll";
import { epCheck } from "./epoll";
import {
  FILE_FIFO, FILE_PIPE, FILE_SOCKET, FMODE_READ, FMODE_WRITE, fdCount, fdPages, file, fileCheck,
} from "./file";
import { dirCheck } from "./dir";
import { fifoInodesCheck, fifoOpening } from "./fifo";
import { inodeCheck, inodeOk } from "./inode";
import { pcacheCheck, pcachePages } from "./pagecache";
import { futexCheck } from "./futex";
import { lockSleepersCheck } from "./fcntl_lock";
import { locksCheck } from "./locks";
import { ipcCheck, ipcPages } from "./ipc";
import { msgCheck, msgPages } from "./msg";
import { mqCheck, mqPages } from "./mqueue";
import { semCheck, semPages } from "./sem";
import { eventCheck, eventPages } from "./event";
import { memCheck, pageIndex, pageRefs, poolPages } from "./mem";
import { NFILE, NPIPE, NSOCK, PID_INIT } from "./param";
import { fasyncCheck } from "./fasync";
import { pipe, pipeCheck, pipeSlotPages } from "./pipe";
import { procCheck } from "./exit";
import { CALL_NONE, nextPid, proc } from "./proc";
import { sigframePages } from "./sigframe";
import { shmCheck } from "./shm";
import { shmemPages } from "./shmem";
import { sigCheck, sigCheckAll } from "./signal";
import { doomSig, sigDeliverCheck } from "./sigdeliver";
import { signalfdCheck } from "./signalfd";
import { itimerCheck } from "./itimer";
import { timeCheck } from "./time";
import { unixCheck, unixPages } from "./unix";
import { unixConnCheck } from "./unix_conn";
import { unixNameCheck } from "./unix_name";
import { vmCheck, vmCheckObjects, vmCountRefs } from "./vm";

const CHECK_PAGES: i32 = 65536;
const fileRefs: usize = memory.data(NFILE * 4, 16);
const readers: usize = memory.data(NPIPE * 4, 16);
const writers: usize = memory.data(NPIPE * 4, 16);
const pageCounts: usize = memory.data(CHECK_PAGES * 4, 16);

/** The counting arrays (kernel/views.ts layout: zero-filled before each use, so their contents
 * between checks do not matter), as (base, bytes) by index 0..3. */
export function checkArrayBase(i: i32): usize {
  return i == 0 ? fileRefs : i == 1 ? readers : i == 2 ? writers : pageCounts;
}
export function checkArrayEntries(i: i32): i32 {
  return i == 0 ? NFILE : i == 1 || i == 2 ? NPIPE : CHECK_PAGES;
}

export function kernelCheck(): void {
  memCheck();
  eventCheck();
  procCheck();
  checkFiles();
  inodeCheck();
  dirCheck();
  pcacheCheck(inodeOk);
  fifoInodesCheck();
  ipcCheck();
  msgCheck();
  mqCheck();
  semCheck();
  checkRegions();
  shmCheck();
  sigCheckAll();
  sigDeliverCheck();
  signalfdCheck();
  timeCheck();
  itimerCheck();
  futexCheck();
  locksCheck();
  lockSleepersCheck();
  checkPolls();
  checkPages();
}

/** Poll entries belong to pollers asleep in poll, ppoll, select or pselect6, or woken and
 * yet to retry. */
function checkPolls(): void {
  let n = 0;
  for (let pid = 2; pid < nextPid(); pid++) {
    const p = proc(pid);
    if (p.state == PROC_UNUSED) continue;
    const nr = p.callNr;
    n += pollCheckProc(p, nr == SYS_poll || nr == SYS_ppoll || nr == SYS_select ||
      nr == SYS_pselect6);
  }
  pollCheck(n + epCheck());
  pollQCheck();
}

/** Regions of every process with memory, then the objects they name (vm.ts, shmem.ts). */
function checkRegions(): void {
  let first = true;
  for (let pid = 2; pid < nextPid(); pid++) {
    const p = proc(pid);
    if (p.state == PROC_UNUSED) continue;
    vmCheck(p, first);
    first = false;
  }
  if (first) vmCheck(proc(1), true);
  vmCheckObjects();
}

function bump(base: usize, i: i32): void {
  store<i32>(base + <usize>i * 4, load<i32>(base + <usize>i * 4) + 1);
}

function checkFiles(): void {
  memory.fill(fileRefs, 0, <usize>NFILE * 4);
  memory.fill(readers, 0, <usize>NPIPE * 4);
  memory.fill(writers, 0, <usize>NPIPE * 4);
  for (let pid = 2; pid < nextPid(); pid++) {
    const p = proc(pid);
    if (p.state == PROC_UNUSED || p.state == PROC_ZOMBIE) continue;
    sigCheck(p);
    assert(doomSig(p) == 0, "a doomed process is still alive between steps");
    fdCount(p, fileRefs);
    const waiting = p.state == PROC_BLOCKED || p.state == PROC_WOKEN;
    const opening = waiting ? fifoOpening(p) : CALL_NONE;
    if (opening != CALL_NONE) bump(fileRefs, opening);
  }
  fileCheck(fileRefs);
  for (let i = 0; i < NFILE; i++) {
    const f = file(i);
    if (f.refs == 0 || (f.kind != FILE_PIPE && f.kind != FILE_FIFO)) continue;
    if ((f.fmode & FMODE_READ) != 0) bump(readers, f.pipe);
    if ((f.fmode & FMODE_WRITE) != 0) bump(writers, f.pipe);
  }
  pipeCheck(readers, writers);
  checkSockets();
  fasyncCheck();
}

/** Sockets (unix.ts): the descriptions naming each in `readers`, `writers` as scratch. */
function checkSockets(): void {
  assert(NSOCK * 2 <= NPIPE, "socket check scratch too small");
  memory.fill(readers, 0, <usize>NPIPE * 4);
  memory.fill(writers, 0, <usize>NPIPE * 4);
  for (let i = 0; i < NFILE; i++) {
    const f = file(i);
    if (f.refs != 0 && f.kind == FILE_SOCKET) bump(readers, f.pipe);
  }
  unixCheck(readers, writers, writers + <usize>NSOCK * 4);
  unixConnCheck();
  unixNameCheck();
}

function countPage(page: usize): void {
  const i = pageIndex(page);
  if (i >= 0 && i < CHECK_PAGES) bump(pageCounts, i);
}

/** Every page in use has exactly as many references as the tables that name it. */
function checkPages(): void {
  if (poolPages() > CHECK_PAGES) return; // too large to count here; memCheck still ran
  memory.fill(pageCounts, 0, <usize>CHECK_PAGES * 4);
  for (let pid = PID_INIT; pid < nextPid(); pid++) {
    const p = proc(pid);
    if (p.state == PROC_UNUSED) continue;
    vmCountRefs(p, countPage);
    fdPages(p, countPage);
    if (p.sigActions != 0) countPage(p.sigActions);
    sigframePages(p, countPage);
  }
  for (let i = 0; i < NPIPE; i++) {
    if (pipe(i).inUse != 0) pipeSlotPages(i, countPage);
  }
  unixPages(countPage);
  ipcPages(countPage);
  msgPages(countPage);
  mqPages(countPage);
  pcachePages(countPage);
  semPages(countPage);
  shmemPages(countPage);
  eventPages(countPage);
  for (let i = 0; i < poolPages(); i++) {
    const expected = load<i32>(pageCounts + <usize>i * 4);
    const actual = pageRefsAt(i);
    assert(actual < 0 || actual == expected, "page refcount != references from kernel tables");
  }
}

/** The refcount of pool page i, or -1 for a chunk header page (not a page of the pool). */
function pageRefsAt(i: i32): i32 {
  const addr = pageAddr(i);
  return addr == 0 ? -1 : pageRefs(addr);
}

import { pageAddr } from "./mem";
