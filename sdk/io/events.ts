/**
 * Accumulators shared by the readers: spike events (neuron, time) one at a
 * time, or binned rows one at a time, with every check naming the row or
 * field; `finish()` gives the typed {@link SpikeData}.
 *
 * @module
 */
import { DgrnFormatError, ErrorCode } from "../errors.js";
import type { BinnedActivity, Provenance, SpikeTrains } from "../types.js";

/** Largest neuron id accepted without an explicit `nNeurons` (guards against allocating for a typo). */
export const MAX_IMPLICIT_NEURONS = 10_000_000;

/** Where a value came from, for error messages: a 1-based row, or an element/field path. */
export interface Where {
  row?: number;
  field?: string;
}

function at(w: Where): string {
  return w.row !== undefined ? `row ${w.row}${w.field ? `, field \`${w.field}\`` : ""}` : `\`${w.field}\``;
}

/** A parse error naming the row/field. */
export function formatError(w: Where, what: string, value?: unknown, code: typeof ErrorCode.INVALID_FORMAT | typeof ErrorCode.INVALID_DATA = ErrorCode.INVALID_FORMAT): DgrnFormatError {
  const v = value === undefined ? "" : ` Value: \`${typeof value === "string" ? JSON.stringify(value.length > 40 ? value.slice(0, 37) + "..." : value) : String(value)}\`.`;
  return new DgrnFormatError(`invalid input at ${at(w)}: ${what}.${v}`, { code, row: w.row, field: w.field });
}

/** Parse a decimal number field strictly (no empty string, no trailing junk). */
export function parseNumberField(text: string, w: Where): number {
  const s = text.trim();
  if (s === "") throw formatError(w, "an empty field where a number was expected");
  const v = Number(s);
  if (Number.isNaN(v)) {
    if (/^[+-]?nan$/i.test(s)) throw formatError(w, "NaN is not a valid value", s, ErrorCode.INVALID_DATA);
    throw formatError(w, "not a number", s);
  }
  if (!Number.isFinite(v)) throw formatError(w, "an infinite value", s, ErrorCode.INVALID_DATA);
  return v;
}

/** Check a neuron id: an integer in [0, nNeurons) (or below {@link MAX_IMPLICIT_NEURONS}). */
export function checkNeuronId(id: number, w: Where, nNeurons: number | undefined): number {
  if (!Number.isFinite(id)) throw formatError(w, "the neuron id is not finite", id, ErrorCode.INVALID_DATA);
  if (!Number.isInteger(id)) throw formatError(w, "the neuron id is not an integer", id, ErrorCode.INVALID_DATA);
  if (id < 0) throw formatError(w, "the neuron id is negative", id, ErrorCode.INVALID_DATA);
  if (nNeurons !== undefined && id >= nNeurons) throw formatError(w, `the neuron id is out of range [0, ${nNeurons})`, id, ErrorCode.INVALID_DATA);
  if (nNeurons === undefined && id >= MAX_IMPLICIT_NEURONS) {
    throw formatError(w, `the neuron id is above ${MAX_IMPLICIT_NEURONS - 1}; pass \`nNeurons\` if that is intended`, id, ErrorCode.INVALID_DATA);
  }
  return id;
}

/** Collects (neuron, time) events; times per neuron must be non-decreasing in input order. */
export class EventsBuilder {
  #ids = new Int32Array(1024);
  #times = new Float64Array(1024);
  #m = 0;
  #last = new Float64Array(64).fill(-1);
  #maxId = -1;
  readonly #nNeurons: number | undefined;
  readonly #scale: number;

  /** @param nNeurons - declared neuron count, if any; @param scale - multiplier to seconds (1 or 1e-3) */
  constructor(nNeurons: number | undefined, scale: number) {
    this.#nNeurons = nNeurons;
    this.#scale = scale;
  }

  /** Add one event; `w` names where it came from (its field: the neuron id's), `timeField` the time's field (default: the same). */
  add(neuron: number, time: number, w: Where, timeField?: string): void {
    const id = checkNeuronId(neuron, w, this.#nNeurons);
    const tw = { ...w, field: timeField ?? w.field };
    if (!Number.isFinite(time)) throw formatError(tw, "the spike time is not finite", time, ErrorCode.INVALID_DATA);
    if (time < 0) throw formatError(tw, "the spike time is negative", time, ErrorCode.INVALID_DATA);
    const t = time * this.#scale;
    if (id >= this.#last.length) {
      const grown = new Float64Array(Math.max(id + 1, this.#last.length * 2)).fill(-1);
      grown.set(this.#last);
      this.#last = grown;
    }
    if (t < this.#last[id]!) {
      throw formatError(tw, `spike times of neuron ${id} are not sorted (previous ${this.#last[id]! / this.#scale})`, time, ErrorCode.INVALID_DATA);
    }
    this.#last[id] = t;
    if (this.#m === this.#ids.length) {
      const ids = new Int32Array(this.#m * 2);
      ids.set(this.#ids);
      this.#ids = ids;
      const ts = new Float64Array(this.#m * 2);
      ts.set(this.#times);
      this.#times = ts;
    }
    this.#ids[this.#m] = id;
    this.#times[this.#m] = t;
    this.#m++;
    if (id > this.#maxId) this.#maxId = id;
  }

  /** Number of events so far. */
  get size(): number {
    return this.#m;
  }

  /**
   * The spike trains. `duration` (s) defaults to the last spike; `neuronIds`
   * (one per neuron) default to 0..n−1.
   */
  finish(opts: { duration?: number; provenance: Provenance; neuronIds?: Int32Array; emptyWhere: Where }): SpikeTrains {
    const n = this.#nNeurons ?? (opts.neuronIds ? opts.neuronIds.length : this.#maxId + 1);
    if (n === 0 || (this.#m === 0 && opts.duration === undefined)) {
      throw formatError(opts.emptyWhere, "no spikes and no neurons (an empty file?); pass `duration` and `nNeurons` to read a recording without spikes");
    }
    const counts = new Int32Array(n);
    for (let q = 0; q < this.#m; q++) counts[this.#ids[q]!]!++;
    const times = Array.from(counts, (c) => new Float64Array(c));
    const fill = new Int32Array(n);
    let last = 0;
    for (let q = 0; q < this.#m; q++) {
      const i = this.#ids[q]!;
      const t = this.#times[q]!;
      times[i]![fill[i]!++] = t;
      if (t > last) last = t;
    }
    const duration = opts.duration ?? last;
    if (duration < last) throw formatError({ field: "duration" }, `shorter than the last spike (${last} s)`, duration, ErrorCode.INVALID_DATA);
    const neuronIds = opts.neuronIds ?? Int32Array.from({ length: n }, (_, i) => i);
    return { kind: "spikes", nNeurons: n, neuronIds, times, duration, provenance: opts.provenance };
  }
}

/** Collects binned rows (one time bin per row, one column per neuron) of nonnegative integer counts. */
export class BinnedBuilder {
  #counts = new Uint16Array(4096);
  #T = 0;
  #n = -1;

  /** Width of the rows, once the first row has come. */
  get width(): number {
    return this.#n;
  }

  /** Add one row of counts; `w(i)` names where column i came from. */
  addRow(values: ArrayLike<number>, w: (i: number) => Where): void {
    if (this.#n < 0) this.#n = values.length;
    if (values.length !== this.#n) {
      throw formatError({ ...w(0), field: undefined }, `a ragged row: ${values.length} columns where the first row has ${this.#n}`, values.length);
    }
    const need = (this.#T + 1) * this.#n;
    if (need > this.#counts.length) {
      const grown = new Uint16Array(Math.max(need, this.#counts.length * 2));
      grown.set(this.#counts);
      this.#counts = grown;
    }
    const base = this.#T * this.#n;
    for (let i = 0; i < this.#n; i++) this.#counts[base + i] = checkCount(values[i]!, w(i));
    this.#T++;
  }

  finish(opts: { binSize: number; provenance: Provenance; neuronIds?: Int32Array; emptyWhere: Where }): BinnedActivity {
    if (this.#T === 0 || this.#n <= 0) throw formatError(opts.emptyWhere, "no data rows (an empty file?)");
    const n = this.#n;
    const neuronIds = opts.neuronIds ?? Int32Array.from({ length: n }, (_, i) => i);
    return {
      kind: "binned",
      nBins: this.#T,
      nNeurons: n,
      binSize: opts.binSize,
      counts: this.#counts.slice(0, this.#T * n),
      neuronIds,
      provenance: opts.provenance,
    };
  }
}

/** A spike count: a nonnegative integer ≤ 65535. */
export function checkCount(v: number, w: Where): number {
  if (!Number.isFinite(v)) throw formatError(w, "a count is not finite", v, ErrorCode.INVALID_DATA);
  if (!Number.isInteger(v) || v < 0) throw formatError(w, "a count must be a nonnegative integer", v, ErrorCode.INVALID_DATA);
  if (v > 65535) throw formatError(w, "a count above 65535", v, ErrorCode.INVALID_DATA);
  return v;
}
