// The lost update the strategy and shrink tests share (examples/bugs/shm-lost-update.ts and,
// with a prefix, examples/bugs/late-race.ts): pid 2 makes `pairs` write+read pairs through a
// pipe of its own (none: no pipe either), then two children each load a shared counter and
// store it + 1; it fails when both load before either stores.
import { IPC_CREAT, IPC_PRIVATE } from "../constants.js";
import type { Os } from "../os.js";

export function lostUpdate(pairs = 0) {
  return async (os: Os) => {
    if (pairs > 0) {
      const [r, w] = await os.pipe();
      for (let i = 0; i < pairs; i++) {
        await os.write(w, "x");
        await os.read(r, 1);
      }
    }
    const counter = await os.shmat(await os.shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0o600), 0, 0);
    const increment = async (c: Os) => {
      const v = (await c.load(counter, 1))[0];
      await c.store(counter, new Uint8Array([v + 1]));
    };
    const a = await os.fork(increment);
    const b = await os.fork(increment);
    await os.waitpid(a, 0);
    await os.waitpid(b, 0);
    os.assert((await os.load(counter, 1))[0] === 2, "lost update");
  };
}
