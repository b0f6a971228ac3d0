/**
 * Accumulators shared by the readers: spike events (neuron, time) one at a
 * time, or binned rows one at a time, with every check naming the row or
 * field; `finish()` gives the typed {@link SpikeData}.
 *
 * @module
 */
import { DgrnFormatError, ErrorCode } from "../errors.js";
import type { BinnedActivity, Provenance, SpikeTrains } from "../types.js";

/** Where a value came from, for error messages: a 1-based row, or an element/field path. */
export interface Where {
  row?: number;
  field?: string;
}

function at(w: Where): string {
  return w.row !== undefined ? `row ${w.row}${w.field ? `, field \`${w.field}\`` : ""}` : `\`${w.field}\``;
}

/** A parse error naming the row/field. */
export function formatError(
  w: Where,
  what: string,
  value?: unknown,
  code: typeof ErrorCode.INVALID_FORMAT | typeof ErrorCode.INVALID_DATA = ErrorCode.INVALID_FORMAT,
): DgrnFormatError {
  const v =
    value === undefined
      ? ""
      : ` Value: \`${typeof value === "string" ? JSON.stringify(value.length > 40 ? value.slice(0, 37) + "..." : value) : String(value)}\`.`;
  return new DgrnFormatError(`invalid input at ${at(w)}: ${what}.${v}`, { code, row: w.row, field: w.field });
}

/** A decimal number: optional sign, digits with an optional fraction, optional exponent (no hex, binary, octal, `Infinity` or `1_000`). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parse a decimal number field strictly (no empty string, no trailing junk, no hex such as `0x10`). */
export function parseNumberField(text: string, w: Where): number {
  const s = text.trim();
  if (s === "") throw formatError(w, "an empty field where a number was expected");
  if (!DECIMAL.test(s)) {
    if (/^[+-]?nan$/i.test(s)) throw formatError(w, "NaN is not a valid value", s, ErrorCode.INVALID_DATA);
    if (/^[+-]?(inf|infinity)$/i.test(s)) throw formatError(w, "an infinite value", s, ErrorCode.INVALID_DATA);
    if (/^[+-]?0[xob]/i.test(s))
      throw formatError(w, "not a decimal number (hex, octal and binary literals are not read as ids or times)", s);
    throw formatError(w, "not a number", s);
  }
  const v = Number(s);
  if (!Number.isFinite(v)) throw formatError(w, "an infinite value", s, ErrorCode.INVALID_DATA);
  return v;
}

/** Check a neuron id: an integer in [0, nNeurons) when `nNeurons` is given, else in [0, 2^31). */
export function checkNeuronId(id: number, w: Where, nNeurons: number | undefined): number {
  if (!Number.isFinite(id)) throw formatError(w, "the neuron id is not finite", id, ErrorCode.INVALID_DATA);
  if (!Number.isInteger(id)) throw formatError(w, "the neuron id is not an integer", id, ErrorCode.INVALID_DATA);
  if (id < 0) throw formatError(w, "the neuron id is negative", id, ErrorCode.INVALID_DATA);
  if (nNeurons !== undefined && id >= nNeurons)
    throw formatError(w, `the neuron id is out of range [0, ${nNeurons})`, id, ErrorCode.INVALID_DATA);
  if (id > 2 ** 31 - 1)
    throw formatError(w, "the neuron id is above 2147483647 (ids are 32-bit labels)", id, ErrorCode.INVALID_DATA);
  return id;
}

/** How a reader came by its time unit, for the plausibility check of {@link EventsBuilder.finish}. */
export interface UnitSource {
  /** The unit in use. */
  unit: string;
  /** Whether the caller or the file stated it (a header suffix, an option, a format that fixes it); false = defaulted to seconds. */
  stated: boolean;
}

/**
 * Collects (neuron, time) events; times per neuron must be non-decreasing in
 * input order. Ids are labels: without a declared `nNeurons`, the neurons are
 * the distinct ids seen, in ascending order (sparse ids such as Kilosort's
 * cluster numbers map to dense indices, and `neuronIds` keeps the ids).
 */
export class EventsBuilder {
  #ids = new Int32Array(1024);
  #times = new Float64Array(1024);
  #m = 0;
  #last = new Map<number, number>();
  readonly #nNeurons: number | undefined;
  readonly #divisor: number;
  #rawMax = -Infinity;
  #allInteger = true;

  /** @param nNeurons - declared neuron count, if any (ids are then 0 … n−1); @param divisor - divides times into seconds (1, 1000, 1e6 or a sample rate) */
  constructor(nNeurons: number | undefined, divisor: number) {
    this.#nNeurons = nNeurons;
    this.#divisor = divisor;
  }

  /** Add one event; `w` names where it came from (its field: the neuron id's), `timeField` the time's field (default: the same). */
  add(neuron: number, time: number, w: Where, timeField?: string): void {
    const id = checkNeuronId(neuron, w, this.#nNeurons);
    if (!Number.isFinite(time))
      throw formatError(
        { ...w, field: timeField ?? w.field },
        "the spike time is not finite",
        time,
        ErrorCode.INVALID_DATA,
      );
    if (time < 0)
      throw formatError(
        { ...w, field: timeField ?? w.field },
        "the spike time is negative",
        time,
        ErrorCode.INVALID_DATA,
      );
    const t = this.#divisor === 1 ? time : time / this.#divisor;
    const prev = this.#last.get(id);
    if (prev !== undefined && t < prev) {
      throw formatError(
        { ...w, field: timeField ?? w.field },
        `spike times of neuron ${id} are not sorted (previous ${prev * this.#divisor})`,
        time,
        ErrorCode.INVALID_DATA,
      );
    }
    this.#last.set(id, t);
    if (time > this.#rawMax) this.#rawMax = time;
    if (this.#allInteger && !Number.isInteger(time)) this.#allInteger = false;
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
  }

  /** Number of events so far. */
  get size(): number {
    return this.#m;
  }

  /**
   * The spike trains. `duration` (s) defaults to the last spike; `neuronIds`
   * (one per neuron, for a declared `nNeurons`) default to the ids. With
   * `unit.stated` false, a recording whose times only make sense in another
   * unit (hours long at a fraction of a spike per minute, or sample indices)
   * is an error that says which unit to pass.
   */
  finish(opts: {
    duration?: number;
    provenance: Provenance;
    neuronIds?: Int32Array;
    emptyWhere: Where;
    unit?: UnitSource;
    timeField?: string;
  }): SpikeTrains {
    let index: (id: number) => number;
    let ids: Int32Array;
    if (this.#nNeurons !== undefined) {
      ids = opts.neuronIds ?? Int32Array.from({ length: this.#nNeurons }, (_, i) => i);
      index = (id) => id;
    } else {
      const distinct = Int32Array.from(this.#last.keys()).sort();
      const map = new Map<number, number>();
      distinct.forEach((id, i) => map.set(id, i));
      ids = distinct;
      index = (id) => map.get(id)!;
    }
    const n = ids.length;
    if (n === 0 || (this.#m === 0 && opts.duration === undefined)) {
      throw formatError(
        opts.emptyWhere,
        "no spikes and no neurons (an empty file?); pass `duration` and `nNeurons` to read a recording without spikes",
      );
    }
    const counts = new Int32Array(n);
    const dense = new Int32Array(this.#m);
    for (let q = 0; q < this.#m; q++) {
      const i = index(this.#ids[q]!);
      dense[q] = i;
      counts[i]!++;
    }
    const times = Array.from(counts, (c) => new Float64Array(c));
    const fill = new Int32Array(n);
    let last = 0;
    for (let q = 0; q < this.#m; q++) {
      const i = dense[q]!;
      const t = this.#times[q]!;
      times[i]![fill[i]!++] = t;
      if (t > last) last = t;
    }
    const duration = opts.duration ?? last;
    if (duration < last)
      throw formatError(
        { field: "duration" },
        `shorter than the last spike (${last} s)`,
        duration,
        ErrorCode.INVALID_DATA,
      );
    if (opts.unit && !opts.unit.stated)
      checkPlausible(last, this.#m, n, this.#allInteger, this.#rawMax, opts.timeField ?? "time");
    return { kind: "spikes", nNeurons: n, neuronIds: ids, times, duration, provenance: opts.provenance };
  }
}

/** Hours of recording at less than one spike per neuron per 100 s (or integer times beyond 10^5): the time unit was probably not seconds. */
function checkPlausible(last: number, m: number, n: number, allInteger: boolean, rawMax: number, field: string): void {
  const rate = last > 0 ? m / (n * last) : Infinity;
  const hours = last / 3600;
  const confirm = 'pass --time-unit s (timeUnit: "s") if the times really are seconds';
  if (allInteger && rawMax >= 1e5 && (last > 36000 || rate < 0.01)) {
    throw formatError(
      { field },
      `the spike times are integers up to ${rawMax}: read as seconds that is ${hours.toFixed(1)} h at ${rate.toPrecision(2)} spikes/s per neuron. They look like sample indices: pass --time-unit samples --sample-rate HZ, or --time-unit ms; ${confirm}`,
      rawMax,
      ErrorCode.INVALID_DATA,
    );
  }
  if (last > 36000 || (last > 1000 && rate < 0.01)) {
    throw formatError(
      { field },
      `read as seconds the recording lasts ${hours.toFixed(1)} h at ${rate.toPrecision(2)} spikes/s per neuron, which is implausible; if the times are milliseconds pass --time-unit ms (or name the column time_ms); ${confirm}`,
      last,
      ErrorCode.INVALID_DATA,
    );
  }
}

/**
 * Unit ids must be distinct: two units with one id would merge in every
 * output that names units by id.
 *
 * @throws {DgrnFormatError} `ERR_INVALID_DATA` naming the repeated id and both positions
 */
export function checkDistinctIds(ids: ArrayLike<number>, field: string): void {
  const seen = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) {
    const prev = seen.get(ids[i]!);
    if (prev !== undefined)
      throw formatError(
        { field: `${field}[${i}]` },
        `a duplicate unit id (also at ${field}[${prev}]); unit ids must be distinct`,
        ids[i],
        ErrorCode.INVALID_DATA,
      );
    seen.set(ids[i]!, i);
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
      throw formatError(
        { ...w(0), field: undefined },
        `a ragged row: ${values.length} columns where the first row has ${this.#n}`,
        values.length,
      );
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

  /**
   * The binned activity. With `transpose`, the rows were neurons and the
   * columns bins. With `transpose` unset, a matrix with more columns
   * (neurons) than rows (bins) is an error: it is almost always neurons × bins.
   */
  finish(opts: {
    binSize: number;
    provenance: Provenance;
    neuronIds?: Int32Array;
    emptyWhere: Where;
    transpose?: boolean;
  }): BinnedActivity {
    if (this.#T === 0 || this.#n <= 0) throw formatError(opts.emptyWhere, "no data rows (an empty file?)");
    let T = this.#T;
    let n = this.#n;
    let counts = this.#counts.subarray(0, T * n);
    if (opts.transpose === true) {
      const out = new Uint16Array(T * n);
      for (let r = 0; r < T; r++) for (let c = 0; c < n; c++) out[c * T + r] = counts[r * n + c]!;
      counts = out;
      [T, n] = [n, T];
    } else {
      counts = counts.slice();
      if (opts.transpose === undefined && n > T && n >= 128) {
        throw formatError(
          { field: "shape" },
          `a binned matrix of ${T} rows × ${n} columns reads as ${n} neurons over only ${T} bins: it is probably neurons × bins. Pass --transpose (transpose: true) to read rows as neurons, or --no-transpose (transpose: false) to keep ${n} neurons`,
          `${T} × ${n}`,
          ErrorCode.INVALID_DATA,
        );
      }
    }
    if (opts.neuronIds && opts.neuronIds.length !== n)
      throw formatError(
        { field: "neuronIds" },
        `has ${opts.neuronIds.length} ids for ${n} neurons`,
        opts.neuronIds.length,
        ErrorCode.INVALID_DATA,
      );
    const neuronIds = opts.neuronIds ?? Int32Array.from({ length: n }, (_, i) => i);
    return {
      kind: "binned",
      nBins: T,
      nNeurons: n,
      binSize: opts.binSize,
      counts,
      neuronIds,
      provenance: opts.provenance,
    };
  }
}

/** A spike count: a nonnegative integer ≤ 65535. */
export function checkCount(v: number, w: Where): number {
  if (!Number.isFinite(v)) throw formatError(w, "a count is not finite", v, ErrorCode.INVALID_DATA);
  if (!Number.isInteger(v) || v < 0)
    throw formatError(w, "a count must be a nonnegative integer", v, ErrorCode.INVALID_DATA);
  if (v > 65535) throw formatError(w, "a count above 65535", v, ErrorCode.INVALID_DATA);
  return v;
}
