// Uniform random: every candidate equally likely at every decision (the baseline of every
// schedule explorer; fast-check's scheduler does this).

import type { Prng } from "../../prng.js";
import type { ChoicePoint, Strategy } from "./strategy.js";

export class RandomStrategy implements Strategy {
  readonly name = "random";
  private prng!: Prng;

  begin(_run: number, prng: Prng): boolean {
    this.prng = prng;
    return true;
  }

  choose(cp: ChoicePoint): number {
    return this.prng.below(cp.candidates.length);
  }

  end(): void {}
}
