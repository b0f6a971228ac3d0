// The page: collects a file (or "simulate"), hands it to the pipeline worker,
// shows progress, then the same figures report.html has.
import { PipelineWorker } from "../../sdk/pipeline/client.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const bar = $<HTMLProgressElement>("bar");
const status = $("status");
const errorBox = $("error");
const figuresBox = $("figures");
const download = $<HTMLAnchorElement>("download");
const worker = new PipelineWorker(new URL("./worker.js", import.meta.url));

async function run(input: { bytes: Uint8Array; name: string } | null): Promise<void> {
  errorBox.textContent = "";
  figuresBox.innerHTML = "";
  download.hidden = true;
  document.body.dataset["state"] = "running";
  try {
    const out = await worker.runPipeline({}, input, (p) => {
      bar.value = (p.index + p.fraction) / p.count;
      status.textContent = `${p.stage}: ${p.message}`;
    });
    bar.value = 1;
    status.textContent = `done: ${out.results.data.nObserved} neurons, ${out.results.lrg.flow.length} RG steps, ${out.figures.length} figures`;
    for (const f of out.figures) {
      const fig = document.createElement("figure");
      fig.id = `fig-${f.id}`;
      fig.dataset["title"] = f.title;
      fig.innerHTML = `<h2></h2>${f.svg}<figcaption></figcaption>`;
      fig.querySelector("h2")!.textContent = f.title;
      fig.querySelector("figcaption")!.textContent = f.caption;
      figuresBox.append(fig);
    }
    download.href = URL.createObjectURL(new Blob([out.html], { type: "text/html" }));
    download.hidden = false;
    document.body.dataset["state"] = "done";
  } catch (e) {
    const err = e as { message?: string; code?: string };
    errorBox.textContent = `${err.message ?? e}${err.code ? ` [${err.code}]` : ""}`;
    status.textContent = "failed";
    document.body.dataset["state"] = "error";
  }
}

async function fromFile(file: File): Promise<void> {
  await run({ bytes: new Uint8Array(await file.arrayBuffer()), name: file.name });
}

$("simulate").addEventListener("click", () => void run(null));
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
