// epoll in traces (docs/trace-format.md "Readiness"): epoll_ctl's `event`, a struct epoll_event
// written `{"events": ["EPOLLIN", "EPOLLET"], "data": 7}` (or null for a NULL pointer), and
// epoll_wait's and epoll_pwait's result `events`, the reported structs in ready-list order.

import { NAMES, splitFlags } from "./calls.js";
import { At, arrayAt, checkKeys, flagsAt, obj } from "./decode.js";

/** One struct epoll_event: the events bits (a u32) and the user data (a u64, 0..2^53-1 here:
 * a JSON number's exact range). */
export interface EpollEvent {
  events: number;
  data: number;
}

function dataAt(v: unknown, at: At): number {
  if (v === undefined) return 0;
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return v;
  return at.expected("a data integer 0..2^53-1", v);
}

function eventAt(v: unknown, at: At): EpollEvent {
  const o = obj(v, at, 'an epoll_event like {"events": ["EPOLLIN"], "data": 7}');
  checkKeys(o, ["events", "data"], at, "an epoll_event has events, data");
  const events = o.events === undefined ? 0 : flagsAt(o.events, at.field("events"), NAMES.epollev);
  return { events, data: dataAt(o.data, at.field("data")) };
}

/** epoll_ctl's event, or null (NULL). */
export function epollEventArgAt(v: unknown, at: At): EpollEvent | null {
  return v === null || v === undefined ? null : eventAt(v, at);
}

/** The result's events. */
export function epollEventsAt(v: unknown, at: At): EpollEvent[] {
  return arrayAt(v, at, 'an array of {"events": ["EPOLLIN"], "data": 7}')
    .map((x, i) => eventAt(x, at.item(i)));
}

export function eventsJson(bits: number): string[] | number {
  const { names, rest } = splitFlags(bits, NAMES.epollev);
  return rest === 0 ? names : bits;
}

export function epollEventJson(e: EpollEvent): { events: string[] | number; data: number } {
  return { events: eventsJson(e.events), data: e.data };
}

function bitsText(bits: number): string {
  const { names, rest } = splitFlags(bits, NAMES.epollev);
  if (rest !== 0) names.push(`0x${rest.toString(16)}`);
  return names.length ? names.join("|") : "0";
}

/** strace's `{events=EPOLLIN, data=0x7}`, or NULL. */
export function epollEventText(e: EpollEvent | null): string {
  return e === null ? "NULL" : `{events=${bitsText(e.events)}, data=0x${e.data.toString(16)}}`;
}

/** strace's `[{events=EPOLLIN, data=0x7}]`. */
export function epollEventsText(es: readonly EpollEvent[]): string {
  return `[${es.map(epollEventText).join(", ")}]`;
}

export function sameEvents(a: readonly EpollEvent[], b: readonly EpollEvent[]): boolean {
  return a.length === b.length &&
    a.every((e, i) => e.events === b[i].events && e.data === b[i].data);
}
