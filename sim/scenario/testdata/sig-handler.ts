// pid 3 sends SIGUSR1 to pid 2, which is blocked in (or about to make) a read: the JS handler
// runs before the read returns (EINTR) or before the read is made.
import { SIGUSR1, type Os } from "ipcsim";

export default async function main(os: Os) {
  const got: number[] = [];
  await os.sigaction(SIGUSR1, async (sig: number, _info, h: Os) => {
    got.push(sig);
    await h.getpid();
  });
  const [r, w] = await os.pipe();
  const child = await os.fork(async (c) => {
    await c.kill(2, SIGUSR1);
    await c.write(w, "x");
  });
  let data: Uint8Array | null = null;
  try {
    data = await os.read(r, 1);
  } catch (e) {
    os.log(`read failed: ${(e as any).code}`);
  }
  os.log(`handler ran ${got.length} times, read ${data ? data.length : "EINTR"}`);
  os.assert(got.length === 1, "handler ran once");
  await os.waitpid(child);
}
