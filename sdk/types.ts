/**
 * The data types that pass between pipeline stages. Every stage takes and
 * returns these (or its own result type that embeds them), so a user can enter
 * the pipeline at any stage with their own data.
 *
 * Layout conventions: matrices are row-major; a T × n activity matrix stores
 * bin t of neuron i at `data[t * n + i]`. Node indices are 0-based positions
 * in the stage's input; `neuronIds` carry the original ids through.
 *
 * @module
 */

/** Where data came from, recorded in results for reproducibility. */
export interface Provenance {
  /** "csv" | "json" | "npy" | "nwb" | "lif" | "array" | … */
  source: string;
  /** File name or description, if any. */
  name?: string;
  /** Any parameters that produced the data (simulator config, reader options). */
  params?: Record<string, unknown>;
}

/**
 * Per-unit metadata a file carries, one entry per neuron in `neuronIds` order
 * (e.g. Phy's `group` and `KSLabel`, NWB's `quality` and `location`).
 */
export type UnitTable = Readonly<Record<string, readonly (string | number | null)[]>>;

/** Trials (NWB `intervals/trials`): start and stop times in seconds, and one label per trial. */
export interface TrialTable {
  readonly start: readonly number[];
  readonly stop: readonly number[];
  /** The label of each trial (the values of `labelColumn`). */
  readonly label: readonly (string | number)[];
  /** The column the labels came from. */
  readonly labelColumn: string;
}

/** Session metadata (NWB's identifier, session_description, session_start_time). */
export interface SessionInfo {
  readonly identifier?: string;
  readonly description?: string;
  readonly startTime?: string;
}

/** Spike events: one sorted array of spike times (seconds) per neuron. */
export interface SpikeTrains {
  readonly kind: "spikes";
  /** Number of neurons (rows of `times`). */
  readonly nNeurons: number;
  /** Original id of each neuron (length nNeurons). */
  readonly neuronIds: Int32Array;
  /** Spike times in seconds, sorted ascending, one array per neuron. */
  readonly times: readonly Float64Array[];
  /** Recording duration in seconds (≥ the last spike). */
  readonly duration: number;
  readonly provenance: Provenance;
  /** Per-unit metadata from the file, if any. */
  readonly units?: UnitTable;
  /** Trials from the file, if any (times in the data's clock). */
  readonly trials?: TrialTable;
  /** Session metadata, if any. */
  readonly session?: SessionInfo;
}

/** Binned activity: spike counts in T bins of width `binSize` seconds. */
export interface BinnedActivity {
  readonly kind: "binned";
  readonly nBins: number;
  readonly nNeurons: number;
  /** Bin width in seconds. */
  readonly binSize: number;
  /** Row-major T × n counts: `counts[t * nNeurons + i]`. */
  readonly counts: Uint16Array;
  readonly neuronIds: Int32Array;
  readonly provenance: Provenance;
  /** Per-unit metadata from the file, if any. */
  readonly units?: UnitTable;
  /** Trials from the file, if any (times in the data's clock). */
  readonly trials?: TrialTable;
  /** Session metadata, if any. */
  readonly session?: SessionInfo;
}

/** What the readers return. */
export type SpikeData = SpikeTrains | BinnedActivity;

/** Binary states x_i(t) ∈ {0,1}: row-major T × n, `data[t * n + i]`. */
export interface BinaryStates {
  /** Number of time bins (rows). */
  readonly T: number;
  /** Number of units (columns). */
  readonly n: number;
  readonly data: Uint8Array;
  /** Original id of each column, if known. */
  readonly neuronIds?: Int32Array;
}

/** A weighted graph as parallel edge arrays (struct of arrays). */
export interface Graph {
  /** Number of nodes. */
  readonly n: number;
  /** Whether edges are directed (source → target). */
  readonly directed: boolean;
  readonly source: Int32Array;
  readonly target: Int32Array;
  readonly weight: Float64Array;
  /** Original id of each node (e.g. the neuron id), if known. */
  readonly nodeIds?: Int32Array;
}

/** A stimulus interval applied to one cluster (from the simulator or given). */
export interface StimulusInterval {
  /** Start time in seconds. */
  start: number;
  /** End time in seconds (exclusive). */
  end: number;
  /** Target cluster (the label decoders predict). */
  cluster: number;
}

/** One step of the renormalization flow. */
export interface RGStep {
  /** The diffusion time τ* at which this step coarse-grains. */
  readonly tau: number;
  /** Supernodes as lists of the previous level's node indices (level 0 = the input graph). */
  readonly groups: readonly (readonly number[])[];
  /** For each node of the input graph (level 0), the supernode it belongs to after this step. */
  readonly assignment: Int32Array;
  /** Number of supernodes after this step (= groups.length). */
  readonly n: number;
}

/** A renormalization flow: the sequence of coarse-grainings of one graph. */
export interface RGFlow {
  /** Nodes of the input graph. */
  readonly n0: number;
  readonly steps: readonly RGStep[];
  /** Why the flow stopped ("one node", "no peak", "fixed point: …"). */
  readonly stopReason: string;
}
