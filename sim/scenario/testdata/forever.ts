// A main that awaits a promise that never settles: no verdict would ever come without the
// watchdog's backstop (pool.test.ts; the scheduler may call it `stuck` first).
import type { Os } from "ipcsim";

export default async function main(os: Os): Promise<void> {
  await os.pipe();
  await new Promise(() => {});
}
