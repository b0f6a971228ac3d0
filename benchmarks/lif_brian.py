"""Brian 2 peer of benchmarks/lif.bench.ts: the same clustered E/I LIF network
(the exact synapses dgrn drew, read from a binary file), the same neuron and
synapse model, integrated with Brian's exact (linear) method at the same dt.

Input (stdin, JSON): config (dgrn's LIFConfig), nE, synapse file prefix,
duration (s), target ("numpy" or "cython"). Output: one JSON line.
Run by the benchmark with Debian's /usr/bin/python3 (python3-brian).
"""
import json, sys, time, warnings
warnings.filterwarnings("ignore")
import numpy as np
import brian2 as b2

args = json.loads(sys.stdin.read())
c = args["config"]
n, nE = c["n"], args["nE"]
b2.prefs.codegen.target = args["target"]
b2.prefs.logging.console_log_level = "ERROR"
b2.defaultclock.dt = c["dt"] * b2.ms
src = np.fromfile(args["prefix"] + ".src", dtype="<i4")
tgt = np.fromfile(args["prefix"] + ".tgt", dtype="<i4")
w = np.fromfile(args["prefix"] + ".w", dtype="<f8")

ms, mV, Hz = b2.ms, b2.mV, b2.Hz
ns = dict(EL=c["vRest"] * mV, Vth=c["vThreshold"] * mV, Vr=c["vReset"] * mV, taum=c["tauM"] * ms,
          tauE=c["tauE"] * ms, tauI=c["tauI"] * ms, bias=c["bias"] * mV)
eqs = """
dv/dt = (-(v - EL) + IE + II + bias) / taum : volt (unless refractory)
dIE/dt = -IE / tauE : volt
dII/dt = -II / tauI : volt
"""
G = b2.NeuronGroup(n, eqs, threshold="v >= Vth", reset="v = Vr", refractory=c["tauRef"] * ms,
                   method="exact", namespace=ns)
G.v = "Vr + rand() * (Vth - Vr)"
E, I = G[:nE], G[nE:]
exc = src < nE
SE = b2.Synapses(E, G, "w : volt", on_pre="IE_post += w * taum / tauE", namespace=ns)
SE.connect(i=src[exc], j=tgt[exc])
SE.w = w[exc] * mV
SI = b2.Synapses(I, G, "w : volt", on_pre="II_post += w * taum / tauI", namespace=ns)
SI.connect(i=src[~exc] - nE, j=tgt[~exc])
SI.w = w[~exc] * mV
SE.delay = c["delay"] * ms
SI.delay = c["delay"] * ms
jump = c["wExt"] * c["tauM"] / c["tauE"]
PE = b2.PoissonInput(E, "IE", N=1, rate=c["rateExtE"] * Hz, weight=jump * mV)
PI = b2.PoissonInput(I, "IE", N=1, rate=c["rateExtI"] * Hz, weight=jump * mV)
M = b2.SpikeMonitor(G)
net = b2.Network(G, SE, SI, PE, PI, M)
t0 = time.perf_counter()
net.run(10 * ms)  # code generation / compilation, not timed
build = time.perf_counter() - t0
before = M.num_spikes
t0 = time.perf_counter()
c0 = time.process_time()
net.run(args["duration"] * b2.second)
secs = time.perf_counter() - t0
cpu = time.process_time() - c0
i = np.asarray(M.i)[before:]
spikes = len(i)
print(json.dumps({"target": args["target"], "seconds": secs, "cpuSeconds": cpu, "build": build, "spikes": int(spikes),
                  "rateE": float((i < nE).sum() / nE / args["duration"]),
                  "rateI": float((i >= nE).sum() / max(n - nE, 1) / args["duration"])}))
