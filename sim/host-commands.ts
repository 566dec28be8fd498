// `record` and `diff`: the commands that need the host bridge. Filled in by the host bridge.
import type { Io } from "./cli.js";

export async function hostCommands(
  command: "record" | "diff",
  _file: string,
  _opts: { json: boolean; output?: string },
  io: Io,
): Promise<number> {
  io.err(`ipcsim: ${command}: the host bridge is not built into this version yet`);
  return 2;
}
