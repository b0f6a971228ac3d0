// Shared test setup: the SDK from sources (the Node target) with the built kernel.
import { init } from "../../sdk/targets/node.js";

export * from "../../sdk/targets/node.js";
export const kernel = await init();

/** Throws-with-code assertion: `fn` must throw an instance of `cls` whose `code` is `code`. */
export function throwsCode(fn: () => unknown, cls: abstract new (...a: never[]) => Error, code: string): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof cls))
      throw new Error(`expected ${cls.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    const got = (e as { code?: string }).code;
    if (got !== code) throw new Error(`expected code ${code}, got ${got}: ${(e as Error).message}`);
    return;
  }
  throw new Error(`expected ${cls.name} with code ${code}, but nothing was thrown`);
}

/** Max |a_i − b_i|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
