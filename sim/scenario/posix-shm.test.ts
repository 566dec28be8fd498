// shm_open and sem_open as glibc builds them (posix-shm.ts): unrelated processes (forked
// before either opens anything) share memory and a semaphore by name; the names' errors.

import { describe, expect, it } from "vitest";
import { MAP_SHARED, O_CREAT, O_EXCL, O_RDWR, PROT_READ, PROT_WRITE } from "./constants.js";
import { ErrnoError } from "./errors.js";
import { explore } from "./explore.js";
import { sem_post, sem_wait, sem_getvalue } from "./nptl.js";
import type { Os } from "./os.js";
import { sem_close, sem_open, sem_unlink, shm_open, shm_unlink } from "./posix-shm.js";
import { run } from "./run.js";

/** A producer and a consumer forked first, so nothing but names joins them: the producer
 * writes into a shm object, then posts a named semaphore; the consumer waits on it (opening
 * it with O_CREAT too: whichever comes first creates it) and reads. */
async function handoff(os: Os) {
  const producer = await os.fork(async (os) => {
    const fd = await shm_open(os, "/data", O_CREAT | O_RDWR, 0o600);
    await os.ftruncate(fd, 4096);
    const map = await os.mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    await os.close(fd);
    await os.store(map, "payload");
    const sem = await sem_open(os, "/ready", O_CREAT, 0o600, 0);
    await sem_post(os, sem);
    await sem_close(os, sem);
  });
  const consumer = await os.fork(async (os) => {
    const sem = await sem_open(os, "/ready", O_CREAT, 0o600, 0);
    await sem_wait(os, sem);
    const fd = await shm_open(os, "/data", O_RDWR);
    const map = await os.mmap(0, 4096, PROT_READ, MAP_SHARED, fd, 0);
    const text = new TextDecoder().decode(await os.load(map, 7));
    os.assert(text === "payload", `read ${JSON.stringify(text)}`);
    await sem_close(os, sem);
  });
  await os.waitpid(producer);
  await os.waitpid(consumer);
  await shm_unlink(os, "/data");
  await sem_unlink(os, "/ready");
}

describe("shm_open and sem_open (glibc on /dev/shm)", () => {
  it("join unrelated processes by name on every schedule PCT tries", async () => {
    const r = await explore(handoff, { strategy: "pct", runs: 300, seed: 5 });
    expect(r.ok, r.shrunk?.replayCommand).toBe(true);
  }, 120_000);

  it("check names as glibc does, and O_EXCL finds an existing semaphore", async () => {
    const codes: string[] = [];
    const r = await run(async (os) => {
      for (const name of ["", "/", "/a/b", `/${"x".repeat(300)}`]) {
        try {
          await shm_open(os, name, O_CREAT | O_RDWR);
        } catch (e) {
          codes.push((e as ErrnoError).code);
        }
      }
      const sem = await sem_open(os, "s", O_CREAT | O_EXCL, 0o600, 3);
      os.assert(await sem_getvalue(os, sem) === 3, "value 3");
      const again = await sem_open(os, "/s", 0);
      os.assert(again === sem, "a second sem_open shares the mapping");
      try {
        await sem_open(os, "/s", O_CREAT | O_EXCL, 0o600, 0);
      } catch (e) {
        codes.push((e as ErrnoError).code);
      }
      await sem_close(os, sem);
      await sem_close(os, again);
      await sem_unlink(os, "/s");
      try {
        await sem_open(os, "/s", 0);
      } catch (e) {
        codes.push((e as ErrnoError).code);
      }
    });
    expect(r.verdict.kind).toBe("ok");
    expect(codes).toEqual(["EINVAL", "EINVAL", "EINVAL", "ENAMETOOLONG", "EEXIST", "ENOENT"]);
  });
});
