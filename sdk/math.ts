/**
 * Elementary functions computed by the kernel, for every result that must be
 * the same bits in Node, Deno and browsers. JavaScript's `Math.exp`, `Math.log`,
 * `Math.pow` (and `**`) are implementation-approximated: V8 versions disagree
 * in the last bit (measured: Node 20 vs Deno 2.9), which is enough to flip a
 * near-tie downstream. `Math.sqrt`, `Math.abs`, `Math.floor`, … are exact and
 * need no replacement. Call these only after `await init()`.
 *
 * @module
 */
import { getKernel } from "./kernel/init.js";
import type { KernelExports } from "./kernel/exports.generated.js";

type MathExports = Pick<KernelExports, "mathExp" | "mathLog" | "mathLog1p" | "mathExpm1" | "mathPow">;

let cached: MathExports | null = null;
const k = (): MathExports => (cached ??= getKernel().fn<MathExports>());

/** e^x, the same bits in every runtime. */
export const exp = (x: number): number => k().mathExp(x);
/** ln x, the same bits in every runtime. */
export const log = (x: number): number => k().mathLog(x);
/** ln(1 + x), the same bits in every runtime. */
export const log1p = (x: number): number => k().mathLog1p(x);
/** e^x − 1, the same bits in every runtime. */
export const expm1 = (x: number): number => k().mathExpm1(x);
/** x^y, the same bits in every runtime. */
export const pow = (x: number, y: number): number => k().mathPow(x, y);
