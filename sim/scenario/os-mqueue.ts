// The scenario `os` methods of POSIX message queues (mq_overview(7)), as a mixin over the
// class that makes calls (os.ts OsBase: its public `call`), so that os.ts stays one screenful
// per family. Names are glibc's: with their one leading slash ("/jobs").

import type { MqAttr, Result } from "../trace/types.js";
import { bytes, int } from "./os-args.js";
import type { Bytes, MqAttrStat, MqMessage } from "./os-types.js";
import { sigevent, timespec, type SigeventLike, type TimespecLike } from "./time-args.js";
import type { CallRequest } from "./os.js";

export { netMethods } from "./os-net.js"; // os.ts takes both mixins from here

type Ok = Exclude<Result, "blocked">;
type Caller = new (...args: any[]) => { call(req: CallRequest): Promise<Ok> };

/** mq_open's attributes at creation (the others are ignored, as in C). */
type MqAttrLike = { maxmsg?: number; msgsize?: number; flags?: number };

function attr(a: MqAttrLike): MqAttr {
  return {
    flags: int(a.flags ?? 0, "mq_flags"), maxmsg: int(a.maxmsg ?? 0, "mq_maxmsg"),
    msgsize: int(a.msgsize ?? 0, "mq_msgsize"), curmsgs: 0,
  };
}

const ret = (r: Ok) => r.ret as number;
const message = (r: Ok): MqMessage => ({ data: r.data as Uint8Array, prio: r.prio as number });
const stat = (r: Ok) => r.stat as unknown as MqAttrStat;
const deadline = (t: TimespecLike | null) => (t === null ? null : timespec(t, "abs_timeout"));

export function mqueueMethods<B extends Caller>(Base: B) {
  return class extends Base {
    /** Opens (with O_CREAT, creates) the queue `name`; returns its descriptor. */
    mq_open(name: string, flags: number, mode = 0o600, a: MqAttrLike | null = null) {
      const args = {
        name, flags: int(flags, "mq_open flags"), mode: int(mode, "mode"),
        attr: a === null ? null : attr(a),
      };
      return this.call({ call: "mq_open", args }).then(ret);
    }
    mq_unlink(name: string): Promise<number> {
      return this.call({ call: "mq_unlink", args: { name } }).then(ret);
    }
    /** Sends `data` with priority `prio`; waits for room unless the descriptor is O_NONBLOCK,
     * until the absolute CLOCK_REALTIME `timeout` if one is given (then ETIMEDOUT). */
    mq_timedsend(mqd: number, data: Bytes, prio = 0, timeout: TimespecLike | null = null) {
      const args = {
        mqd: int(mqd, "mqd"), data: bytes(data, "mq_send data"), prio: int(prio, "prio"),
        timeout: deadline(timeout),
      };
      return this.call({ call: "mq_timedsend", args }).then(ret);
    }
    mq_send(mqd: number, data: Bytes, prio = 0): Promise<number> {
      return this.mq_timedsend(mqd, data, prio);
    }
    /** The oldest message of the highest priority; `size` must be at least the queue's
     * msgsize (else EMSGSIZE). */
    mq_timedreceive(mqd: number, size: number, timeout: TimespecLike | null = null) {
      const args = { mqd: int(mqd, "mqd"), size: int(size, "size"), timeout: deadline(timeout) };
      return this.call({ call: "mq_timedreceive", args }).then(message);
    }
    mq_receive(mqd: number, size: number): Promise<MqMessage> {
      return this.mq_timedreceive(mqd, size);
    }
    /** Registers (or, with null, removes) this process's notification. */
    mq_notify(mqd: number, sevp: SigeventLike | null = null): Promise<number> {
      const args = { mqd: int(mqd, "mqd"), sevp: sevp === null ? null : sigevent(sevp) };
      return this.call({ call: "mq_notify", args }).then(ret);
    }
    /** The raw call: sets the descriptor's O_NONBLOCK from `a.flags` when `a` is given; the
     * old attributes. */
    mq_getsetattr(mqd: number, a: MqAttrLike | null = null): Promise<MqAttrStat> {
      const args = { mqd: int(mqd, "mqd"), attr: a === null ? null : attr(a) };
      return this.call({ call: "mq_getsetattr", args }).then(stat);
    }
    mq_getattr(mqd: number): Promise<MqAttrStat> {
      return this.mq_getsetattr(mqd);
    }
    /** Sets O_NONBLOCK (the only attribute that changes); the old attributes. */
    mq_setattr(mqd: number, flags: number): Promise<MqAttrStat> {
      return this.mq_getsetattr(mqd, { flags });
    }
    mq_close(mqd: number): Promise<number> {
      return this.call({ call: "close", args: { fd: int(mqd, "mqd") } }).then(ret);
    }
  };
}
