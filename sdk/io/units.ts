/**
 * The time unit of event input: the caller's `timeUnit`, else the unit a
 * column name states (`time_ms`), else seconds; and whether it was stated
 * (a defaulted unit gets the plausibility check of the events builder).
 *
 * @module
 */
import { secondsDivisor, type TimeUnit } from "./columns.js";
import type { CheckedReadOptions } from "./options.js";
import type { UnitSource } from "./events.js";

/** The unit in use, whether it was stated, and the divisor to seconds. */
export function eventTimeUnit(
  o: CheckedReadOptions,
  fromName: TimeUnit | undefined,
  field: string,
): UnitSource & { divisor: number } {
  const unit = o.timeUnit ?? fromName ?? "s";
  return {
    unit,
    stated: o.timeUnit !== undefined || fromName !== undefined,
    divisor: secondsDivisor(unit, o.sampleRate, field),
  };
}
