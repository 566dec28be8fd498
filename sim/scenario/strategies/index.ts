// Strategies by name, as the CLI and the library options give them: "random", "pct" (depths
// 1-3 in turn) or "pct:D", "urw", "dfs" or "dfs:P" (preemption bound P), "replay" (with a
// decision string).

import { decodeDecisions } from "../decisions.js";
import { DfsStrategy } from "./dfs.js";
import { PctStrategy } from "./pct.js";
import { RandomStrategy } from "./random.js";
import { ReplayStrategy } from "./replay.js";
import type { Strategy } from "./strategy.js";
import { UrwStrategy } from "./urw.js";

/** How decisions are drawn (run and explore take these; the CLI's `--strategy`). */
export interface StrategyOptions {
  strategy?: string | Strategy;
  /** PCT's bug depth d (default: cycle through 1, 2, 3 run by run). */
  depth?: number;
  /** dfs's preemption bound (default 2). */
  preemptions?: number;
  /** A decision string: implies strategy "replay". */
  replay?: string;
  /** PCT's first estimate of the calls per run (default 20). */
  stepsHint?: number;
}

/** A strategy name or parameter the library does not know. */
export class StrategyError extends Error {
  override name = "StrategyError";
}

/** The strategy `o` names: "random" (default), "pct", "pct:D", "urw", "dfs", "dfs:P", or
 * "replay" with `o.replay` (a decision string); a Strategy object is returned as it is.
 * @throws StrategyError for an unknown name or a bad parameter. */
export function makeStrategy(o: StrategyOptions): Strategy {
  if (o.strategy && typeof o.strategy === "object") return o.strategy;
  if (o.replay !== undefined && (o.strategy === undefined || o.strategy === "replay")) {
    return new ReplayStrategy(decodeDecisions(o.replay));
  }
  const [name, param] = (o.strategy ?? "random").split(":");
  const num = (what: string, dflt: number | undefined): number | undefined => {
    if (param === undefined) return dflt;
    if (!/^\d+$/.test(param)) {
      throw new StrategyError(`strategy "${o.strategy}": ${what} must be a whole number`);
    }
    return Number(param);
  };
  switch (name) {
    case "random": return new RandomStrategy();
    case "pct": return new PctStrategy(num("depth", o.depth), o.stepsHint ?? 20);
    case "urw": return new UrwStrategy();
    case "dfs": return new DfsStrategy(num("preemption bound", o.preemptions ?? 2)!);
    case "replay": return new ReplayStrategy(decodeDecisions(o.replay ?? ""));
    default: throw new StrategyError(
      `unknown strategy "${o.strategy}" (known: random, pct[:D], urw, dfs[:P], replay)`,
    );
  }
}

export type { Strategy };
