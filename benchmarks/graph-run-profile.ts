// The whole `dgrn run` at scale, CPU per stage (issue 20): runPipelineAsync
// with every stage of PIPELINE_STAGES wrapped to record its process CPU time
// (user + system), then the report and results.json's serialisation as the
// CLI does them. Also the graph stage's sub-steps when --graph-steps is given
// (the stage re-run step by step on the same state: inference, diffusion,
// communities, order, ground-truth scores, the edge list). Peak RSS = the
// process's running maximum. One JSON line per run on stdout.
//   node --import tsx benchmarks/graph-run-profile.ts --n 10000 [--seed 1] [--workers 0] [--graph-steps]
import { loadavg } from "node:os";
import {
  init,
  runPipelineAsync,
  createPool,
  PIPELINE_STAGES,
  inferGraph,
  latentDiffusion,
  detectCommunities,
  communityOrder,
  scoreGraph,
} from "../sdk/targets/node.js";
import type { PipelineStage } from "../sdk/pipeline/stages.js";
import { arg } from "./harness.js";

await init();
const N = Number(arg("--n", "1000"));
const seed = Number(arg("--seed", "1"));
const workers = Number(arg("--workers", "0"));
const extra = arg("--config", "{}");
const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const rss = () => Math.round(process.resourceUsage().maxRSS / 1024);
const stageCpu: Record<string, number> = {};
const stageRss: Record<string, number> = {};
const wrap = (st: PipelineStage): PipelineStage => ({
  ...st,
  run: (s, ctx) => {
    const c0 = cpuMs();
    const out = st.run(s, ctx);
    stageCpu[st.name] = Math.round(cpuMs() - c0);
    stageRss[st.name] = rss();
    return out;
  },
  ...(st.runAsync
    ? {
        runAsync: async (s, ctx, pool) => {
          const c0 = cpuMs();
          const out = await st.runAsync!(s, ctx, pool);
          stageCpu[st.name] = Math.round(cpuMs() - c0);
          stageRss[st.name] = rss();
          return out;
        },
      }
    : {}),
});
const config = { simulate: { n: N, duration: 20 }, seed, ...JSON.parse(extra) };
const c0 = cpuMs(),
  w0 = performance.now();
const pool = workers > 0 ? await createPool({ workers }) : undefined;
const out = await runPipelineAsync(config, {
  stages: PIPELINE_STAGES.map(wrap),
  ...(pool ? { pool } : {}),
  report: false,
});
const cr = cpuMs();
const { renderReport } = await import("../sdk/report/html.js");
const { html } = await renderReport(out.results, out.extras);
stageCpu["report"] = Math.round(cpuMs() - cr);
const cj = cpuMs();
const json = JSON.stringify(out.results, null, 1) + "\n";
stageCpu["json"] = Math.round(cpuMs() - cj);
stageRss["report+json"] = rss();
await pool?.close();
const row: Record<string, unknown> = {
  N,
  seed,
  workers,
  config: extra,
  mainThreadCpuMs: Math.round(cpuMs() - c0),
  wallMs: Math.round(performance.now() - w0),
  stageCpuMs: stageCpu,
  stageRssMiB: stageRss,
  resultsJsonMB: +(json.length / 1e6).toFixed(1),
  reportHtmlMB: +(html.length / 1e6).toFixed(1),
  nEdges: out.results.graph?.nEdges,
  peakRssMiB: rss(),
  load1: +loadavg()[0]!.toFixed(1),
};
if (process.argv.includes("--graph-steps")) {
  const st = out.state;
  const b = st.binned!;
  const steps: Record<string, number> = {};
  const t = <T>(k: string, f: () => T): T => {
    const a = cpuMs();
    const r = f();
    steps[k] = Math.round(cpuMs() - a);
    return r;
  };
  const g = t("infer", () => inferGraph(b, { ...st.cfg.graph, seed }));
  const plain = { n: g.n, directed: true as const, source: g.source, target: g.target, weight: g.weight };
  const k = t("diffusion", () => latentDiffusion(plain, st.cfg.diffusion || {}));
  const com = t("communities", () => detectCommunities(k, { seed, resolution: st.cfg.resolution }));
  t("order", () => communityOrder(k, com.labels));
  if (st.sim) t("scores", () => scoreGraph(g, com.labels, st.sim!.truth));
  t("edgeList", () => Array.from(g.source, (a, e) => [a, g.target[e]!, g.weight[e]!]));
  row.graphStepsCpuMs = steps;
  row.diffusedEdges = k.source.length;
}
console.log(JSON.stringify(row));
