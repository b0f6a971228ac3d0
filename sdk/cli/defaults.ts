/**
 * Defaults shown in `--help`, taken from the defaults objects and option
 * resolvers of the SDK (never repeated as literals), so the help cannot drift
 * from what a flag left out actually does.
 *
 * @module
 */
import { resolveDiffusionOptions } from "../graph/diffusion.js";
import { resolveLRGOptions } from "../lrg/lrg.js";

/** Latent diffusion's defaults (its resolver on no options). */
export const DIFFUSION_DEFAULTS = Object.freeze(resolveDiffusionOptions(undefined));

/** laplacianRG's defaults (its resolver on no options). */
export const LRG_DEFAULTS = Object.freeze(resolveLRGOptions(undefined));

/** " (default X)" for a help text. */
export function dflt(value: unknown): string {
  return ` (default ${Array.isArray(value) ? value.join(", ") : String(value)})`;
}
