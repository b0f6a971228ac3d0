/**
 * Large sparse graphs: S(τ) and C(τ) by stochastic Lanczos quadrature (Ubaru,
 * Chen & Saad, SIAM J. Matrix Anal. Appl. 38(4), 2017) with seeded Rademacher
 * (Hutchinson) probes and a jackknife error band; heat-kernel entries by the
 * Krylov (Lanczos) action of e^{−τL} on unit vectors. Never forms a dense n × n matrix.
 *
 * The constant vector is an exact null vector of every Laplacian, so it is
 * deflated: Tr f(L) = f(0) + Tr(P f(L) P) with P = I − 11ᵀ/n, and only the
 * second term is estimated (from probes Pz). This removes the largest source
 * of variance at large τ on connected graphs.
 *
 * @module
 */
import { getKernel } from "../kernel/init.js";
import { eighTridiagonal } from "../linalg/eigh.js";
import type { LrgExports } from "./kernel.js";
import { csrLaplacian, type SymEdges } from "./graph.js";
import { zeroTol } from "./spectrum.js";
import { exp, log } from "../math.js";

/** Output of {@link slqCore}. */
export interface SlqCurves {
  entropy: Float64Array;
  specificHeat: Float64Array;
  /** Half-width of the error band of S: 3 jackknife standard errors over probes. */
  entropyError: Float64Array;
  /** Half-width of the error band of C: 3 jackknife standard errors over probes. */
  specificHeatError: Float64Array;
  /** Largest Ritz value over all probes (≤ λ_max, converges from below). */
  lambdaMax: number;
  /** Smallest nonzero Ritz value over the deflated probes (≥ λ_2 on a connected graph). */
  lambda2: number;
  /** All probes' Ritz values and weights (trace-scaled), for reuse (e.g. mode counts). */
  nodes: Float64Array[];
  weights: Float64Array[];
}

/** Per-probe Gauss quadratures: Ritz values (nodes) and trace-scaled weights. */
export interface SlqProbes {
  nodes: Float64Array[];
  weights: Float64Array[];
}

/**
 * The quadratures of SLQ: `probes` seeded Rademacher probes (deflated), `steps`
 * Lanczos steps each with full reorthogonalisation. Independent of τ.
 */
export function slqProbes(g: SymEdges, probes: number, steps: number, seed: number): SlqProbes {
  const n = g.n;
  const csr = csrLaplacian(g);
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  const m = Math.max(1, Math.min(steps, n - 1));
  const nodes: Float64Array[] = [];
  const weights: Float64Array[] = [];
  // the CSR and the generator stay in linear memory for all probes
  kern.scope((s) => {
    const rp = s.copyI32(csr.rowPtr),
      cp = s.copyI32(csr.colIdx),
      vp = s.copyF64(csr.values);
    const rng = s.rng(seed, 0);
    const z = s.f64(n),
      qp = s.f64(m * n),
      ap = s.f64(m),
      bp = s.f64(m),
      wk = s.bytes(f.lrgLanczosWorkSize(n));
    for (let p = 0; p < probes; p++) {
      f.lrgRademacher(rng, n, 1, z);
      let nz = 0;
      const zv = kern.f64(z, n);
      for (let i = 0; i < n; i++) nz += zv[i]! * zv[i]!;
      const k = f.lrgLanczos(n, rp, cp, vp, m, 1, z, qp, ap, bp, wk);
      const alpha = kern.readF64(ap, k),
        beta = kern.readF64(bp, Math.max(0, k - 1));
      const th = new Float64Array(k + 1),
        w = new Float64Array(k + 1);
      th[0] = 0;
      w[0] = 1; // the deflated null vector, exact
      if (k > 0) {
        const e = eighTridiagonal(alpha, beta, { vectors: true });
        const V = e.vectors!;
        for (let c = 0; c < k; c++) {
          th[c + 1] = Math.max(0, e.values[c]!);
          w[c + 1] = nz * V.data[c]! * V.data[c]!; // first row of the eigenvector matrix
        }
      }
      nodes.push(th);
      weights.push(w);
    }
  });
  return { nodes, weights };
}

/** λ_max and λ_2 estimated from the Ritz values (λ_max from below; λ_2 from above on a connected graph). */
export function ritzEnds(probes: SlqProbes, n: number): { lambdaMax: number; lambda2: number } {
  let lmax = 0;
  for (const th of probes.nodes) for (let c = 1; c < th.length; c++) lmax = Math.max(lmax, th[c]!);
  const tol = zeroTol(lmax, n);
  let l2 = Infinity;
  for (const th of probes.nodes) for (let c = 1; c < th.length; c++) if (th[c]! > tol) l2 = Math.min(l2, th[c]!);
  return { lambdaMax: lmax, lambda2: Number.isFinite(l2) ? l2 : 0 };
}

/**
 * S(τ) and C(τ) from the trace moments of e^{−τL}: z = Tr e^{−τL}, a = Tr L e^{−τL},
 * b = Tr L² e^{−τL}; S = (ln z + τ a/z)/ln N, C = τ² Var_μ(λ)/ln N (Var clamped at 0).
 * The one place the curves are formed from moments (plain SLQ and the deflated estimator).
 */
export function curveFromMoments(z: number, a: number, b: number, t: number, invLnN: number): [number, number] {
  const mean = a / z;
  const v = Math.max(0, b / z - mean * mean);
  return [(log(z) + t * mean) * invLnN, t * (t * v) * invLnN];
}

/** Turn per-probe quadratures into curves with a jackknife band. */
export function combineProbes(probes: SlqProbes, tau: Float64Array, n: number): SlqCurves {
  const { nodes, weights } = probes;
  const P = nodes.length,
    nt = tau.length;
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  const { lambdaMax: lmax, lambda2: l2 } = ritzEnds(probes, n);
  const mom = kern.scope((s) => {
    const tp = s.copyF64(tau);
    const out = s.f64(3 * nt);
    return nodes.map((th, p) => {
      f.lrgTraceMoments(th.length, s.copyF64(th), s.copyF64(weights[p]!), nt, tp, 0, out);
      return kern.readF64(out, 3 * nt);
    });
  });
  const invLn = 1 / log(n);
  const curve = (z: number, a: number, b: number, t: number) => curveFromMoments(z, a, b, t, invLn);
  const S = new Float64Array(nt),
    C = new Float64Array(nt),
    dS = new Float64Array(nt),
    dC = new Float64Array(nt);
  for (let t = 0; t < nt; t++) {
    let z = 0,
      a = 0,
      b = 0;
    for (let p = 0; p < P; p++) {
      z += mom[p]![3 * t]!;
      a += mom[p]![3 * t + 1]!;
      b += mom[p]![3 * t + 2]!;
    }
    [S[t], C[t]] = curve(z / P, a / P, b / P, tau[t]!);
    if (P > 1) {
      const js: number[] = [],
        jc: number[] = [];
      for (let p = 0; p < P; p++) {
        const r = curve(
          (z - mom[p]![3 * t]!) / (P - 1),
          (a - mom[p]![3 * t + 1]!) / (P - 1),
          (b - mom[p]![3 * t + 2]!) / (P - 1),
          tau[t]!,
        );
        js.push(r[0]);
        jc.push(r[1]);
      }
      const se = (xs: number[]) => {
        const mu = xs.reduce((u, v) => u + v, 0) / P;
        return Math.sqrt(((P - 1) / P) * xs.reduce((u, v) => u + (v - mu) * (v - mu), 0));
      };
      dS[t] = 3 * se(js);
      dC[t] = 3 * se(jc);
    }
  }
  return {
    entropy: S,
    specificHeat: C,
    entropyError: dS,
    specificHeatError: dC,
    lambdaMax: lmax,
    lambda2: l2,
    nodes,
    weights,
  };
}

/** Estimated #{λ_i ≤ x} from the probes' quadratures (the spectral counting function). */
export function slqCount(curves: SlqProbes, x: number): number {
  let c = 0;
  for (let p = 0; p < curves.nodes.length; p++) {
    const th = curves.nodes[p]!,
      w = curves.weights[p]!;
    for (let k = 0; k < th.length; k++) if (th[k]! <= x) c += w[k]!;
  }
  return Math.round(c / curves.nodes.length);
}

/**
 * Heat-kernel entries e^{−τL}_ij for the diagonal and the listed pairs, by the
 * Krylov action of e^{−τL} on each unit vector e_j (`steps` Lanczos steps, no
 * reorthogonalisation; e^{−τL} e_j ≈ Q e^{−τT} e_1).
 */
export function rhoKrylov(
  g: SymEdges,
  tau: number,
  steps: number,
  pi: Int32Array,
  pj: Int32Array,
): { diag: Float64Array; pair: Float64Array } {
  const n = g.n;
  const csr = csrLaplacian(g);
  const kern = getKernel();
  const f = kern.fn<LrgExports>();
  const m = Math.max(1, Math.min(steps, n));
  // pairs grouped by their second index j: entries come from column j
  const byCol: number[][] = Array.from({ length: n }, () => []);
  for (let p = 0; p < pi.length; p++) byCol[pj[p]!]!.push(p);
  const diag = new Float64Array(n),
    pair = new Float64Array(pi.length);
  kern.scope((s) => {
    const rp = s.copyI32(csr.rowPtr),
      cp = s.copyI32(csr.colIdx),
      vp = s.copyF64(csr.values);
    const e = s.f64(n),
      qp = s.f64(m * n),
      ap = s.f64(m),
      bp = s.f64(m),
      wk = s.bytes(f.lrgLanczosWorkSize(n));
    for (let j = 0; j < n; j++) {
      const ev = kern.f64(e, n);
      ev.fill(0);
      ev[j] = 1;
      const k = f.lrgLanczos(n, rp, cp, vp, m, 0, e, qp, ap, bp, wk);
      const alpha = kern.readF64(ap, k),
        beta = kern.readF64(bp, Math.max(0, k - 1));
      const T = eighTridiagonal(alpha, beta, { vectors: true });
      const V = T.vectors!.data;
      // y = V diag(e^{−τθ}) Vᵀ e_1 (θ ≥ 0 up to rounding, so no overflow)
      const y = new Float64Array(k);
      for (let c = 0; c < k; c++) {
        const g0 = V[c]! * exp(-tau * Math.max(0, T.values[c]!));
        for (let r = 0; r < k; r++) y[r] = y[r]! + V[r * k + c]! * g0;
      }
      // only the entries needed: rows j and the partners of j
      const Q = kern.f64(qp, m * n);
      const entry = (i: number) => {
        let v = 0;
        for (let r = 0; r < k; r++) v += Q[r * n + i]! * y[r]!;
        return v;
      };
      diag[j] = entry(j);
      for (const p of byCol[j]!) pair[p] = entry(pi[p]!);
    }
  });
  return { diag, pair };
}
