// Mesoscale dynamics: hashing binary words into states, transition counting,
// and σ for T = 10^4 … 10^6 bins of M = 32 coarse units (Bernoulli(0.1) bits,
// so most words are distinct at large T: the sparse worst case). The peer is
// numpy in the same run: words packed to uint32, np.unique(return_inverse),
// pair counts by np.unique on a·K + b, σ by a sorted reverse lookup.
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { init, entropyProduction, markovDynamics, randomUniform } from "../sdk/targets/node.js";
import { countPairs, sigmaFromPairs, encodeRows } from "../sdk/dynamics/kernel.js";
import { consume, pythonHas, report, runPython, time } from "./harness.js";

await init();
const M = 32;
const P_ACTIVE = 0.1;
const dir = mkdtempSync(join(tmpdir(), "dgrn-bench-dyn-"));
const havePy = pythonHas("numpy");

function pyPeer(
  file: string,
  T: number,
): { encode: number; count: number; sigma: number; total: number; sigmaValue: number } {
  const code = `
import json, time, numpy as np
T, M = ${T}, ${M}
x = np.fromfile(${JSON.stringify(file)}, dtype=np.uint8).reshape(T, M)
def med(f, k=5):
    ts = []
    for _ in range(k):
        t0 = time.perf_counter(); r = f(); ts.append(time.perf_counter() - t0)
    return sorted(ts)[len(ts) // 2] * 1e3, r
def encode():
    w = np.packbits(x, axis=1).view('>u4').ravel()
    _, ids = np.unique(w, return_inverse=True)
    return ids.ravel()
def count(ids):
    K = int(ids.max()) + 1
    keys = ids[:-1].astype(np.int64) * K + ids[1:]
    u, c = np.unique(keys, return_counts=True)
    return u, c, K
def sigma(u, c, K):
    a, b = u // K, u % K
    rk = b * K + a
    j = np.searchsorted(u, rk)
    j[j >= len(u)] = 0
    ok = (u[j] == rk) & (a != b)
    f = c[ok].astype(float); r = c[j[ok]].astype(float)
    return float(np.sum(f * np.log(f / r)) / c.sum())
t_enc, ids = med(encode)
t_cnt, (u, c, K) = med(lambda: count(ids))
t_sig, s = med(lambda: sigma(u, c, K))
t_all, _ = med(lambda: sigma(*count(encode())))
print(json.dumps({"count": t_cnt, "sigma": t_sig, "total": t_all, "encode": t_enc, "sigmaValue": s}))
`;
  return runPython(code) as { encode: number; count: number; sigma: number; total: number; sigmaValue: number };
}

const rows: Array<Record<string, string | number | null>> = [];
for (const T of [10_000, 100_000, 1_000_000]) {
  const u = randomUniform(T * M, { seed: 1 });
  const data = Uint8Array.from(u, (v) => (v < P_ACTIVE ? 1 : 0));
  const states = { T, n: M, data };
  const enc = encodeRows(data, T, M);
  const a = enc.ids.subarray(0, T - 1);
  const b = enc.ids.subarray(1);
  const pairs = countPairs(a, b);
  const tEncode = time(() => encodeRows(data, T, M));
  const tCount = time(() => countPairs(a, b));
  const tSigma = time(() => sigmaFromPairs(pairs, enc.k, 0));
  const tTotal = time(() => entropyProduction(states, { surrogates: 0 }));
  const tSur = time(() => entropyProduction(states, { surrogates: 19 }), { minRuns: 1, minMs: 0 });
  const tMarkov = time(() => markovDynamics(states), { minRuns: 3, minMs: 0 });
  const ours = entropyProduction(states, { surrogates: 0 });
  consume(ours.sigma);
  let peer: ReturnType<typeof pyPeer> | null = null;
  if (havePy) {
    const file = join(dir, `x${T}.u8`);
    writeFileSync(file, data);
    peer = pyPeer(file, T);
  }
  rows.push({
    name: `dynamics:T=${T},M=${M}`,
    states: enc.k,
    pairs: pairs.from.length,
    encodeMs: +tEncode.toFixed(2),
    countMs: +tCount.toFixed(2),
    sigmaMs: +tSigma.toFixed(2),
    totalMs: +tTotal.toFixed(2),
    with19SurrogatesMs: +tSur.toFixed(1),
    markovDynamicsMs: +tMarkov.toFixed(1),
    numpyEncodeMs: peer ? +peer.encode.toFixed(2) : null,
    numpyCountMs: peer ? +peer.count.toFixed(2) : null,
    numpySigmaMs: peer ? +peer.sigma.toFixed(2) : null,
    numpyTotalMs: peer ? +peer.total.toFixed(2) : null,
    countRatio: peer ? +(peer.count / tCount).toFixed(2) : null,
    sigmaRatio: peer ? +(peer.sigma / tSigma).toFixed(2) : null,
    totalRatio: peer ? +(peer.total / tTotal).toFixed(2) : null,
    sigmaAgree: peer ? Math.abs(peer.sigmaValue - ours.sigma) : null,
  });
}
report("dynamics", rows);
