/**
 * CSV reader: spike events (`neuron,time` per row) or a dense binned matrix
 * (rows = time bins, columns = neurons), parsed row by row with papaparse so
 * the rows are never all held as strings at once. The same row consumer
 * serves bytes (here) and streams (the Node file reader, a browser `File`).
 *
 * @module
 */
import Papa from "papaparse";

import type { SpikeData } from "../types.js";
import { acceptedNames, findEventColumns, type TimeUnit } from "./columns.js";
import { BinnedBuilder, EventsBuilder, formatError, parseNumberField, type UnitSource } from "./events.js";
import { eventTimeUnit } from "./units.js";
import { DEFAULT_BIN_SIZE, provenanceParams, type CheckedReadOptions } from "./options.js";

const isNumeric = (s: string): boolean => s.trim() !== "" && !Number.isNaN(Number(s.trim()));

/** Consumes CSV rows one at a time (1-based row numbers count every line, blank ones too). */
export class CsvRows {
  readonly #o: CheckedReadOptions;
  readonly #name: string;
  #row = 0;
  #layout: "events" | "binned" | null = null;
  #header: string[] | null = null;
  #neuronCol = 0;
  #timeCol = 1;
  #events: EventsBuilder | null = null;
  #binned: BinnedBuilder | null = null;
  #values: Float64Array | null = null;
  #unit: (UnitSource & { divisor: number }) | null = null;

  constructor(o: CheckedReadOptions, name: string) {
    this.#o = o;
    this.#name = name;
  }

  /** One parsed row. */
  row(fields: string[]): void {
    const row = ++this.#row;
    if (row === 1 && fields.length > 0 && fields[0]!.charCodeAt(0) === 0xfeff) fields[0] = fields[0]!.slice(1);
    if (fields.length === 1 && fields[0]!.trim() === "") return; // blank line
    if (this.#layout === null) {
      this.#start(fields, row);
      if (this.#header) return;
    }
    if (this.#layout === "events") {
      const need = Math.max(this.#neuronCol, this.#timeCol) + 1;
      if (fields.length < need)
        throw formatError(
          { row },
          `a ragged row: ${fields.length} fields where ${need} are needed (neuron, time)`,
          fields.join(","),
        );
      const nf = this.#header ? this.#header[this.#neuronCol]! : "neuron";
      const tf = this.#header ? this.#header[this.#timeCol]! : "time";
      const id = parseNumberField(fields[this.#neuronCol]!, { row, field: nf });
      const t = parseNumberField(fields[this.#timeCol]!, { row, field: tf });
      this.#events!.add(id, t, { row, field: nf }, tf);
    } else {
      const n = this.#binned!.width < 0 ? fields.length : this.#binned!.width;
      if (fields.length !== n)
        throw formatError(
          { row },
          `a ragged row: ${fields.length} columns where the first row has ${n}`,
          fields.length,
        );
      if (!this.#values || this.#values.length !== n) this.#values = new Float64Array(n);
      const name = (i: number): string => (this.#header ? this.#header[i]! : `column ${i + 1}`);
      for (let i = 0; i < n; i++) this.#values[i] = parseNumberField(fields[i]!, { row, field: name(i) });
      this.#binned!.addRow(this.#values, (i) => ({ row, field: name(i) }));
    }
  }

  #start(fields: string[], row: number): void {
    const header = this.#o.header ?? fields.some((f) => !isNumeric(f));
    const names = fields.map((f) => f.trim());
    let layout = this.#o.layout;
    let suffixUnit: TimeUnit | undefined;
    if (header) {
      const cols = findEventColumns(names, this.#o, { row });
      suffixUnit = cols.suffixUnit;
      const both = cols.unit >= 0 && cols.time >= 0;
      const some = cols.unit >= 0 || cols.time >= 0;
      if (layout === "auto") {
        if (both) layout = "events";
        else if (some) {
          throw formatError(
            { row, field: cols.unit < 0 ? "neuron" : "time" },
            `the header names a ${cols.unit >= 0 ? "unit id" : "time"} column but no ${cols.unit >= 0 ? "time" : "unit id"} column, so it is neither events nor a binned matrix; name the columns (--neuron-column, --time-column) or pass --layout binned. Accepted names: ${acceptedNames()}`,
            names.join(","),
          );
        } else layout = "binned";
      } else if (layout === "binned" && both) {
        throw formatError(
          { row },
          `the header names a unit id column (${names[cols.unit]}) and a time column (${names[cols.time]}): this is a file of spike events, not a binned matrix; drop --layout binned`,
          names.join(","),
        );
      }
      this.#header = names;
      if (layout === "events") {
        if (!both) {
          throw formatError(
            { row, field: cols.unit < 0 ? "neuron" : "time" },
            `an events header must name a unit id column and a time column (or choose them with --neuron-column and --time-column). Accepted names: ${acceptedNames()}`,
            names.join(","),
          );
        }
        this.#neuronCol = cols.unit;
        this.#timeCol = cols.time;
      }
    } else if (layout === "auto") layout = fields.length === 2 ? "events" : "binned";
    this.#layout = layout;
    if (layout === "events") {
      this.#unit = eventTimeUnit(this.#o, suffixUnit, this.#header ? this.#header[this.#timeCol]! : "time");
      this.#events = new EventsBuilder(this.#o.nNeurons, this.#unit.divisor);
    } else this.#binned = new BinnedBuilder();
  }

  /** A Papa parse error on the current row. */
  fail(message: string): never {
    throw formatError({ row: this.#row + 1 }, `CSV syntax: ${message}`);
  }

  finish(): SpikeData {
    const extra: Record<string, unknown> = { layout: this.#layout ?? this.#o.layout };
    if (this.#unit) extra["timeUnit"] = this.#unit.unit;
    if (this.#header && this.#layout === "events")
      Object.assign(extra, { neuronColumn: this.#header[this.#neuronCol], timeColumn: this.#header[this.#timeCol] });
    const provenance = { source: "csv", name: this.#name, params: provenanceParams(this.#o, extra) };
    const emptyWhere = { row: Math.max(1, this.#row) };
    if (this.#layout === null) throw formatError(emptyWhere, "no rows (an empty file)");
    if (this.#layout === "events") {
      return this.#events!.finish({
        duration: this.#o.duration,
        provenance,
        emptyWhere,
        unit: this.#unit!,
        timeField: this.#header ? this.#header[this.#timeCol]! : "time",
      });
    }
    let neuronIds: Int32Array | undefined;
    // Ids from a header of integers, optionally prefixed (`12`, `n12`, `neuron_12`, `unit12`).
    const idOf = (h: string): number | null => {
      const m = /^(?:n|neuron_?|unit_?)?(\d+)$/i.exec(h);
      return m && Number(m[1]) < 2 ** 31 ? Number(m[1]) : null;
    };
    if (this.#header && this.#header.every((h) => idOf(h) !== null))
      neuronIds = Int32Array.from(this.#header, (h) => idOf(h)!);
    const binSize = this.#o.binSize ?? DEFAULT_BIN_SIZE;
    if (this.#o.binSize === undefined) (provenance.params as Record<string, unknown>)["binSize"] = DEFAULT_BIN_SIZE;
    if (this.#o.transpose === true) neuronIds = undefined; // the header then names bins, not neurons
    return this.#binned!.finish({ binSize, provenance, neuronIds, emptyWhere, transpose: this.#o.transpose });
  }
}

/** Papa's configuration for row-by-row parsing into `rows`. */
export function papaConfig(rows: CsvRows, o: CheckedReadOptions): Papa.ParseConfig<string[]> {
  return {
    header: false,
    dynamicTyping: false,
    skipEmptyLines: false,
    delimiter: o.delimiter ?? "",
    step(res: Papa.ParseStepResult<string[]>) {
      const err = res.errors.find((e) => e.code !== "UndetectableDelimiter");
      if (err) rows.fail(err.message);
      rows.row(res.data);
    },
  };
}

/**
 * The delimiter of the first non-blank line: the most frequent of `,`, tab,
 * `;` and `|` outside quotes (`,` when none occurs). Papa's own guess needs
 * several rows; this one works for a file of one row, too.
 */
export function guessDelimiter(text: string): string {
  const m = /^[ \t]*\S[^\n]*/m.exec(text);
  const line = m ? m[0].replace(/"[^"]*"/g, "") : "";
  let best = ",";
  let bestCount = 0;
  for (const d of [",", "\t", ";", "|"]) {
    const c = line.split(d).length - 1;
    if (c > bestCount) ((best = d), (bestCount = c));
  }
  return best;
}

/** Parse CSV bytes (UTF-8). */
export function readCsvBytes(bytes: Uint8Array, o: CheckedReadOptions, name: string): SpikeData {
  let text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = new CsvRows(o, name);
  const delimiter = o.delimiter ?? guessDelimiter(text);
  Papa.parse<string[]>(
    text,
    papaConfig(rows, { ...o, delimiter }) as Papa.ParseConfig<string[]> & { download?: false },
  );
  return rows.finish();
}
