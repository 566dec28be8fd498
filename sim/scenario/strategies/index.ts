// Strategies by name, as the CLI and the library options give them: "mix" (the default:
// random and pct in turn), "random", "pct" (depths 1-3 in turn) or "pct:D", "urw", "dfs" or
// "dfs:P" (preemption bound P), "dpor" or "dpor:P" (partial-order reduction, dpor.ts), "replay"
// (with a decision string).

import { decodeDecisions } from "../decisions.js";
import { DfsStrategy } from "./dfs.js";
import { DporStrategy } from "./dpor.js";
import { MixStrategy } from "./mix.js";
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
  /** PCT's k: change points are drawn among the first `stepsHint` decisions of each run
   * (default: a scale drawn per run, log-uniformly in [2, 4096]; pct.ts). */
  stepsHint?: number;
}

/** A strategy name or parameter the library does not know. */
export class StrategyError extends Error {
  override name = "StrategyError";
}

/** The strategy `o` names: "mix" (default), "random", "pct", "pct:D", "urw", "dfs", "dfs:P",
 * "dpor", "dpor:P", or
 * "replay" with `o.replay` (a decision string); a Strategy object is returned as it is.
 * @throws StrategyError for an unknown name or a bad parameter. */
export function makeStrategy(o: StrategyOptions): Strategy {
  if (o.strategy && typeof o.strategy === "object") return o.strategy;
  if (o.replay !== undefined && (o.strategy === undefined || o.strategy === "replay")) {
    return new ReplayStrategy(decodeDecisions(o.replay));
  }
  const [name, param] = (o.strategy ?? "mix").split(":");
  const num = (what: string, dflt: number | undefined): number | undefined => {
    if (param === undefined) return dflt;
    if (!/^\d+$/.test(param)) {
      throw new StrategyError(`strategy "${o.strategy}": ${what} must be a whole number`);
    }
    return Number(param);
  };
  switch (name) {
    case "mix": return new MixStrategy();
    case "random": return new RandomStrategy();
    case "pct": return new PctStrategy(num("depth", o.depth), o.stepsHint);
    case "urw": return new UrwStrategy();
    case "dfs": return new DfsStrategy(num("preemption bound", o.preemptions ?? 2)!);
    case "dpor": return new DporStrategy(num("preemption bound", o.preemptions ?? Infinity)!);
    case "replay": return new ReplayStrategy(decodeDecisions(o.replay ?? ""));
    default: throw new StrategyError(
      `unknown strategy "${o.strategy}" ` +
        "(known: mix, random, pct[:D], urw, dfs[:P], dpor[:P], replay)",
    );
  }
}

/** Whether a strategy is one exhaustive search (dfs, dpor): run in order on one thread, never
 * sharded or wrapped, and `exhausted` when it has enumerated everything. */
export function isSearch(s: Strategy): s is DfsStrategy | DporStrategy {
  return s instanceof DfsStrategy || s instanceof DporStrategy;
}

export type { Strategy };
