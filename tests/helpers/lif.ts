// One simulation of the default network (LIF_DEFAULTS) per test process,
// shared by every test file that needs realistic clustered spikes.
import { simulateLIF, type LIFResult } from "./setup.js";

let cached: LIFResult | null = null;

/** The default LIF network's result (simulated once per process, ~3 s). Do not mutate it. */
export function defaultLIF(): LIFResult {
  if (!cached) cached = simulateLIF();
  return cached;
}
