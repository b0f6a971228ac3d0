import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { readSpikes, type SpikeTrains } from "../helpers/setup.js";

const dgrn = (...args: string[]) => spawnSync(process.execPath, ["bin/dgrn.js", ...args], { encoding: "utf8" });
const dir = "tests/output/cli-io";
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const test = suite("cli: simulate and inspect");

test("simulate writes CSV, NPY and JSON spikes (identical) plus FILE.truth.json", () => {
  const got: SpikeTrains[] = [];
  for (const ext of ["csv", "npy", "json"]) {
    const out = `${dir}/sim.${ext}`;
    const r = dgrn(
      "simulate",
      "--neurons",
      "200",
      "--clusters",
      "4",
      "--duration",
      "1",
      "--seed",
      "5",
      "--out",
      out,
      "--json",
    );
    assert.is(r.status, 0, r.stderr);
    const res = JSON.parse(r.stdout);
    assert.is(res.neurons, 200);
    assert.is(res.out, out);
    assert.ok(res.spikes > 100);
    assert.ok(existsSync(out) && existsSync(`${out}.truth.json`));
    got.push(readSpikes(out, { nNeurons: 200 }) as SpikeTrains);
    const truth = JSON.parse(readFileSync(`${out}.truth.json`, "utf8"));
    assert.is(truth.clusters.length, 200);
    assert.is(truth.clusters.filter((c: number) => c === -1).length, 40);
    assert.is(Math.max(...truth.clusters), 3);
    assert.ok(truth.weights.length > 1000);
    for (const [i, j, w] of truth.weights.slice(0, 50))
      assert.ok(Number.isInteger(i) && Number.isInteger(j) && Number.isFinite(w));
    assert.ok(truth.stimulus.length >= 1);
    assert.is(truth.params.n, 200);
    assert.is(truth.params.seed, 5);
  }
  for (let i = 0; i < 200; i++) {
    assert.equal(got[0]!.times[i], got[1]!.times[i]);
    assert.equal(got[1]!.times[i], got[2]!.times[i]);
  }
});

test("inspect reports neurons, spikes, duration, first and last spike, per-neuron counts", () => {
  const r = dgrn("inspect", "--input", `${dir}/sim.json`, "--json", "--per-neuron");
  assert.is(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  const d = readSpikes(`${dir}/sim.json`) as SpikeTrains;
  const total = d.times.reduce((a, t) => a + t.length, 0);
  assert.is(s.neurons, 200);
  assert.is(s.spikes, total);
  assert.is(s.duration, 1);
  assert.is(s.firstSpike, Math.min(...d.times.filter((t) => t.length).map((t) => t[0]!)));
  assert.is(s.lastSpike, Math.max(...d.times.filter((t) => t.length).map((t) => t.at(-1)!)));
  assert.equal(
    s.perNeuron.map((p: { spikes: number }) => p.spikes),
    d.times.map((t) => t.length),
  );
  const text = dgrn("inspect", "--input", `${dir}/sim.csv`);
  assert.is(text.status, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`spikes\\s+${total}\\b`));
  assert.match(text.stdout, /neurons\s+\d+/);
});

test("user errors: one line, exit 2, the row named", () => {
  const bad = `${dir}/bad.csv`;
  spawnSync("sh", ["-c", `printf 'neuron,time\\n0,0.5\\n0,0.1\\n' > ${bad}`]);
  const r = dgrn("inspect", "--input", bad);
  assert.is(r.status, 2);
  assert.match(r.stderr, /^dgrn: invalid input at row 3, field `time`.*\[ERR_INVALID_DATA\]\n$/);
  const m = dgrn("inspect", "--input", `${dir}/missing.csv`);
  assert.is(m.status, 2);
  assert.match(m.stderr, /\[ERR_IO\]/);
  const o = dgrn("simulate", "--out", `${dir}/x.txt`);
  assert.is(o.status, 2);
  assert.match(o.stderr, /--out/);
  const syn = dgrn("simulate", "--synapses", "ohmic", "--out", `${dir}/x.csv`);
  assert.is(syn.status, 2);
  assert.match(syn.stderr, /`--synapses`/); // issue 17: the flag, not the SDK name config.synapses
  const n = dgrn("simulate", "--neurons", "0", "--out", `${dir}/x.csv`);
  assert.is(n.status, 2);
  assert.match(n.stderr, /`--neurons`/); // not config.n
});

test.run();
