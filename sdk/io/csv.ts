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
import { BinnedBuilder, EventsBuilder, formatError, parseNumberField } from "./events.js";
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
      if (fields.length < need) throw formatError({ row }, `a ragged row: ${fields.length} fields where ${need} are needed (neuron, time)`, fields.join(","));
      const nf = this.#header ? this.#header[this.#neuronCol]! : "neuron";
      const tf = this.#header ? this.#header[this.#timeCol]! : "time";
      const id = parseNumberField(fields[this.#neuronCol]!, { row, field: nf });
      const t = parseNumberField(fields[this.#timeCol]!, { row, field: tf });
      this.#events!.add(id, t, { row, field: nf }, tf);
    } else {
      const n = this.#binned!.width < 0 ? fields.length : this.#binned!.width;
      if (fields.length !== n) throw formatError({ row }, `a ragged row: ${fields.length} columns where the first row has ${n}`, fields.length);
      if (!this.#values || this.#values.length !== n) this.#values = new Float64Array(n);
      const name = (i: number): string => (this.#header ? this.#header[i]! : `column ${i + 1}`);
      for (let i = 0; i < n; i++) this.#values[i] = parseNumberField(fields[i]!, { row, field: name(i) });
      this.#binned!.addRow(this.#values, (i) => ({ row, field: name(i) }));
    }
  }

  #start(fields: string[], row: number): void {
    const header = this.#o.header ?? fields.some((f) => !isNumeric(f));
    const names = fields.map((f) => f.trim());
    const lower = names.map((f) => f.toLowerCase());
    const ni = lower.findIndex((f) => f === "neuron" || f === "neuron_id" || f === "unit" || f === "id");
    const ti = lower.findIndex((f) => f === "time" || f === "t" || f === "spike_time" || f === "times");
    let layout = this.#o.layout;
    if (layout === "auto") layout = header ? (ni >= 0 && ti >= 0 ? "events" : "binned") : fields.length === 2 ? "events" : "binned";
    this.#layout = layout;
    if (header) {
      this.#header = names;
      if (layout === "events") {
        if (ni < 0 || ti < 0) {
          throw formatError({ row, field: ni < 0 ? "neuron" : "time" }, "an events header must name a `neuron` and a `time` column", names.join(","));
        }
        this.#neuronCol = ni;
        this.#timeCol = ti;
      }
    }
    if (layout === "events") this.#events = new EventsBuilder(this.#o.nNeurons, this.#o.timeUnit === "ms" ? 1e-3 : 1);
    else this.#binned = new BinnedBuilder();
  }

  /** A Papa parse error on the current row. */
  fail(message: string): never {
    throw formatError({ row: this.#row + 1 }, `CSV syntax: ${message}`);
  }

  finish(): SpikeData {
    const provenance = { source: "csv", name: this.#name, params: provenanceParams(this.#o, { layout: this.#layout ?? this.#o.layout }) };
    const emptyWhere = { row: Math.max(1, this.#row) };
    if (this.#layout === null) throw formatError(emptyWhere, "no rows (an empty file)");
    if (this.#layout === "events") return this.#events!.finish({ duration: this.#o.duration, provenance, emptyWhere });
    let neuronIds: Int32Array | undefined;
    // Ids from a header of integers, optionally prefixed (`12`, `n12`, `neuron_12`, `unit12`).
    const idOf = (h: string): number | null => {
      const m = /^(?:n|neuron_?|unit_?)?(\d+)$/i.exec(h);
      return m && Number(m[1]) < 2 ** 31 ? Number(m[1]) : null;
    };
    if (this.#header && this.#header.every((h) => idOf(h) !== null)) neuronIds = Int32Array.from(this.#header, (h) => idOf(h)!);
    const binSize = this.#o.binSize ?? DEFAULT_BIN_SIZE;
    if (this.#o.binSize === undefined) (provenance.params as Record<string, unknown>)["binSize"] = DEFAULT_BIN_SIZE;
    return this.#binned!.finish({ binSize, provenance, neuronIds, emptyWhere });
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
    if (c > bestCount) (best = d), (bestCount = c);
  }
  return best;
}

/** Parse CSV bytes (UTF-8). */
export function readCsvBytes(bytes: Uint8Array, o: CheckedReadOptions, name: string): SpikeData {
  let text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = new CsvRows(o, name);
  const delimiter = o.delimiter ?? guessDelimiter(text);
  Papa.parse<string[]>(text, papaConfig(rows, { ...o, delimiter }) as Papa.ParseConfig<string[]> & { download?: false });
  return rows.finish();
}

