// Parent writes to its child through a pipe; the child reads to EOF. Correct: the parent
// closes its read end and the child its write end.
import type { Os } from "ipcsim";

export default async function main(os: Os) {
  const [r, w] = await os.pipe();
  const child = await os.fork(async (c) => {
    await c.close(w);
    let got = "";
    for (;;) {
      const d = await c.read(r, 64);
      if (d.length === 0) break;
      got += new TextDecoder().decode(d);
    }
    c.assert(got === "hello, child", `child read "${got}"`);
  });
  await os.close(r);
  await os.write(w, "hello, ");
  await os.write(w, "child");
  await os.close(w);
  const { status } = await os.waitpid(child);
  os.assert(status && "exited" in status && status.exited === 0, "child exited 0");
}
