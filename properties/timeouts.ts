// Imported by every property test file for its side effect: larger budgets
// ($IPCSIM_PROPERTY_RUNS, $IPCSIM_PROPERTY_STEPS) need more than vitest's per-test timeout
// (120 s, vitest.config.ts), so it is scaled with the work asked for, twice over. vi.setConfig
// applies to the test file that imports this.

import { vi } from "vitest";
import { budgetFactor } from "./support.js";

const factor = budgetFactor();
if (factor > 1) vi.setConfig({ testTimeout: Math.ceil(240_000 * factor) });
