// The page: options, a file (or "simulate"), the pipeline in a worker with
// progress (overall and within the stage) and cancel; then the warnings and
// the same figures report.html has.
import { PipelineWorker } from "../../sdk/pipeline/client.js";
import type { Progress } from "../../sdk/pipeline/protocol.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const bar = $<HTMLProgressElement>("bar");
const stageBar = $<HTMLProgressElement>("stage-bar");
const status = $("status");
const log = $("log");
const errorBox = $("error");
const warningsBox = $("warnings");
const figuresBox = $("figures");
const download = $<HTMLAnchorElement>("download");
const cancel = $<HTMLButtonElement>("cancel");
const simulate = $<HTMLButtonElement>("simulate");
const workerUrl = new URL("./worker.js", import.meta.url);
let worker = new PipelineWorker(workerUrl);
let running = false;

const num = (id: string) => Number($<HTMLInputElement>(id).value);
/** An optional number field: absent when left empty (the pipeline's default applies). */
const optional = (id: string, key: string): Record<string, number> =>
  $<HTMLInputElement>(id).value.trim() === "" ? {} : { [key]: num(id) };

/** The pipeline configuration of the options form (bin size in ms on the page, seconds in the config). */
function config(): Record<string, unknown> {
  return {
    seed: num("opt-seed"),
    // empty: the pipeline's default, all units of a dropped recording, half of the simulated network
    ...optional("opt-fraction", "fraction"),
    binSize: num("opt-bin") / 1000,
    simulate: { duration: num("opt-duration") },
    dynamics: { surrogates: num("opt-surrogates"), decode: $<HTMLInputElement>("opt-decode").checked },
  };
}

function setState(state: string): void {
  document.body.dataset["state"] = state;
  running = state === "running";
  cancel.disabled = !running;
  simulate.disabled = running;
}

let lastLogged = "";
function onProgress(p: Progress): void {
  bar.value = (p.index + p.fraction) / p.count;
  stageBar.value = p.fraction;
  const pct = Math.round(p.fraction * 100);
  status.textContent = `[${p.index + 1}/${p.count}] ${p.stage} ${pct} %: ${p.message}`;
  const line = `${p.stage} ${pct} % ${p.message}`;
  if (line !== lastLogged) {
    lastLogged = line;
    const li = document.createElement("li");
    li.textContent = line;
    li.dataset["stage"] = p.stage;
    li.dataset["fraction"] = String(p.fraction);
    log.append(li);
    log.scrollTop = log.scrollHeight;
  }
}

async function run(input: { bytes: Uint8Array; name: string } | null): Promise<void> {
  if (running) return;
  errorBox.textContent = "";
  figuresBox.innerHTML = "";
  log.innerHTML = "";
  warningsBox.hidden = true;
  download.hidden = true;
  bar.value = 0;
  stageBar.value = 0;
  setState("running");
  try {
    const cfg = config();
    const out = await worker.runPipeline(input ? { ...cfg, simulate: {} } : cfg, input, onProgress);
    bar.value = 1;
    stageBar.value = 1;
    const r = out.results;
    // the last run's configuration and results, for the console (and tests/pipeline/web-page.test.ts)
    (globalThis as { dgrnLast?: unknown }).dgrnLast = { config: cfg, results: r };
    status.textContent =
      `done: ${r.data.nObserved} of ${r.data.nNeurons} neurons observed, bins of ${+(r.data.binSize * 1000).toPrecision(3)} ms, ` +
      `seed ${String(r.config["seed"])}, ${r.lrg.flow.length} RG ${r.lrg.flow.length === 1 ? "step" : "steps"}, ${out.figures.length} figures, on ${out.workers} ${out.workers === 1 ? "worker" : "workers"}, ` +
      `${r.warnings.length === 1 ? "1 warning" : `${r.warnings.length} warnings`}`;
    if (r.warnings.length) {
      const ul = warningsBox.querySelector("ul")!;
      ul.innerHTML = "";
      for (const w of r.warnings) {
        const li = document.createElement("li");
        li.textContent = w;
        ul.append(li);
      }
      warningsBox.hidden = false;
    }
    for (const f of out.figures) {
      const fig = document.createElement("figure");
      fig.id = `fig-${f.id}`;
      fig.dataset["title"] = f.title;
      if (f.wide) fig.classList.add("wide");
      fig.innerHTML = `<h2></h2>${f.svg}<figcaption></figcaption>`;
      fig.querySelector("h2")!.textContent = f.title;
      fig.querySelector("figcaption")!.textContent = f.caption;
      figuresBox.append(fig);
    }
    download.href = URL.createObjectURL(new Blob([out.html], { type: "text/html" }));
    download.hidden = false;
    setState("done");
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") {
      status.textContent = "cancelled";
      setState("cancelled");
      return;
    }
    const err = e as { message?: string; code?: string };
    errorBox.textContent = `${err.message ?? String(e)}${err.code ? ` [${err.code}]` : ""}`;
    status.textContent = "failed";
    setState("error");
  }
}

cancel.addEventListener("click", () => {
  if (!running) return;
  worker.terminate(); // rejects the pending run with an AbortError
  worker = new PipelineWorker(workerUrl);
});

async function fromFile(file: File): Promise<void> {
  await run({ bytes: new Uint8Array(await file.arrayBuffer()), name: file.name });
}

simulate.addEventListener("click", () => void run(null));
$<HTMLInputElement>("file").addEventListener("change", (ev) => {
  const f = (ev.target as HTMLInputElement).files?.[0];
  if (f) void fromFile(f);
});
const drop = $("drop");
drop.addEventListener("dragover", (ev) => {
  ev.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (ev) => {
  ev.preventDefault();
  drop.classList.remove("over");
  const f = ev.dataTransfer?.files[0];
  if (f) void fromFile(f);
});
