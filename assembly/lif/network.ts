// Clustered E/I leaky integrate-and-fire network (current-based, exponential
// synapses, homogeneous delay, Poisson external drive), integrated exactly
// over a fixed step dt (Rotter & Diesmann 1999): between steps the membrane
// and the two synaptic currents are a linear system with a closed-form
// propagator; spikes are detected at the end of each step.
//
// Model (times in ms, voltages in mV; currents in mV, i.e. R·I):
//   τ_m dV/dt = −(V − E_L) + I_E + I_I + b
//   τ_E dI_E/dt = −I_E,   τ_I dI_I/dt = −I_I
// A presynaptic spike of weight w (mV) arriving at the start of a step adds
// w·τ_m/τ_X to I_X, so its total depolarisation ∫ I_X dt / τ_m equals w (w is
// the "delta-PSP equivalent" weight; negative for inhibitory synapses).
// Over one step (Δ = dt):
//   V ← E_L + b + (V − E_L − b)·e^{−Δ/τ_m} + κ_E I_E + κ_I I_I,
//   κ_X = τ_X/(τ_X − τ_m)·(e^{−Δ/τ_X} − e^{−Δ/τ_m})   (τ_X ≠ τ_m),
//   I_X ← I_X e^{−Δ/τ_X}.
// At V ≥ V_th: a spike, V ← V_reset, and V is held there for `refSteps` steps
// (the synaptic currents keep evolving). External drive: each neuron receives
// k ~ Poisson(ν_ext·Δ) spikes of weight J_ext per step (drawn by
// superposition, see lifRun); neurons of the stimulated cluster get the rate
// ν_ext·(1 + stimGain).
//
// Memory layout (all owned by the SDK):
//   params  f64[LIF_NPARAMS], indices P_* below.
//   group i32[n] (lifConnect): cluster affiliation used for connectivity.
//   Neurons [0, nE) are excitatory, [nE, n) inhibitory (external rate ν_I).
//   CSR, presynaptic rows: rowPtr i32[n+1], col i32[nnz] (postsynaptic
//     neuron), w f64[nnz] (mV, signed).
//   state   f64[3n]: V[0..n), I_E[n..2n), I_I[2n..3n).
//   ref     i32[n]: remaining refractory steps.
//   buf     f64[2·(D+1)·n]: delay ring, E part then I part; slot s of the E part
//     is buf[s·n .. s·n+n), of the I part buf[(D+1)·n + s·n ..]. A spike at step
//     t is written into slot (t + D) mod (D+1) and read (then cleared) at the
//     start of step t + D.
//   spikes  i32[cap] steps and i32[cap] neuron indices (in step order, then
//     neuron order), meta i32[2] = [steps done, spikes written].
// Conductance-based variant (P_CONDUCTANCE = 1): I_X is the current the
// synapse would carry at rest, so the conductance relative to the leak is
// g_X = I_X/(E_X − E_L) and the membrane obeys
//   τ_m dV/dt = −(V − E_L) + g_E (E_E − V) + g_I (E_I − V) + b;
// each step holds g_X at its mean over the step, ḡ_X = g_X τ_X/Δ (1 − e^{−Δ/τ_X}),
// and integrates V exactly for those (exponential Euler): with
// G = 1 + ḡ_E + ḡ_I, V∞ = (E_L + b + ḡ_E E_E + ḡ_I E_I)/G,
//   V ← V∞ + (V − V∞) e^{−Δ G/τ_m}. Scalar (one exp per neuron and step).
// No allocation and no host Math: NativeMath only, so the same seed gives the
// same spikes in every runtime.

import { af64, ldf, ldi, stf, sti } from "../core/ptr";
import { rngBounded, rngPoisson, rngUniform01 } from "../random/xoshiro";

export const P_DT = 0;
export const P_EL = 1;
export const P_VTH = 2;
export const P_VRESET = 3;
export const P_TAUM = 4;
export const P_TAUE = 5;
export const P_TAUI = 6;
export const P_RATE_E = 7; // external rate to excitatory neurons, Hz
export const P_RATE_I = 8; // external rate to inhibitory neurons, Hz
export const P_JEXT = 9; // external weight, mV
export const P_STIM_GAIN = 10;
export const P_BIAS = 11; // constant input b, mV
export const P_REF_STEPS = 12;
export const P_DELAY_STEPS = 13;
export const P_CONDUCTANCE = 14; // 0: current-based synapses, 1: conductance-based
export const P_REV_E = 15; // excitatory reversal potential E_E, mV (conductance mode)
export const P_REV_I = 16; // inhibitory reversal potential E_I, mV (conductance mode)
export const LIF_NPARAMS: i32 = 17;

/** Number of f64 parameters `lifRun` reads. */
export function lifParamCount(): i32 {
  return LIF_NPARAMS;
}

/** Scratch bytes `lifConnect` needs for `n` neurons. */
export function lifConnectWorkSize(n: i32): i32 {
  return n << 2;
}

/**
 * Sample a clustered E/I connectivity as CSR with presynaptic rows: each
 * ordered pair (i ≠ j) independently with its class's probability, rows in
 * order, columns ascending.
 * `group` i32[n]: the cluster each neuron is affiliated with (excitatory
 * neurons: their cluster; inhibitory neurons: a cluster, or −1 for none);
 * neurons of one group and type must be contiguous (as the SDK assigns them).
 * `table` f64[16]: probabilities then weights of eight classes, by pre → post
 * type and whether the two share a group:
 *   0 E→E same, 1 E→E other, 2 E→I same, 3 E→I other,
 *   4 I→E same, 5 I→E other, 6 I→I same, 7 I→I other.
 * Within a run of targets of one class the Bernoulli trials are sampled by
 * geometric skipping (the gap to the next success is ⌊ln U / ln(1 − p)⌋), so the
 * cost is one draw per synapse, not per pair.
 * Neurons 0..nE−1 are excitatory. `work`: lifConnectWorkSize(n) bytes. Returns
 * nnz, or −1 when more than `cap` synapses were drawn (the SDK retries with a
 * larger buffer and a reseeded state).
 */
export function lifConnect(
  n: i32, nE: i32, groupPtr: usize, tablePtr: usize, rng: usize,
  rowPtr: usize, colPtr: usize, wPtr: usize, cap: i32, workPtr: usize,
): i32 {
  // runEnd[j]: one past the last neuron of j's run of equal (type, group).
  for (let j = n - 1; j >= 0; j--) {
    const last = j == n - 1 || (j + 1 < nE) != (j < nE) || ldi(groupPtr, j + 1) != ldi(groupPtr, j);
    sti(workPtr, j, last ? j + 1 : ldi(workPtr, j + 1));
  }
  let nnz = 0;
  sti(rowPtr, 0, 0);
  for (let i = 0; i < n; i++) {
    const gi = ldi(groupPtr, i);
    const pre = i < nE ? 0 : 4;
    let a = 0;
    while (a < n) {
      const b = ldi(workPtr, a);
      const cls = pre + (a < nE ? 0 : 2) + (gi >= 0 && gi == ldi(groupPtr, a) ? 0 : 1);
      const p = ldf(tablePtr, cls);
      if (p > 0.0) {
        const w = ldf(tablePtr, 8 + cls);
        const lq = p < 1.0 ? Math.log1p(-p) : 0.0;
        let j = a - 1;
        while (true) {
          if (p < 1.0) {
            const skip = Math.floor(Math.log(1.0 - rngUniform01(rng)) / lq);
            if (skip >= <f64>(b - j - 1)) break;
            j += 1 + <i32>skip;
          } else {
            j += 1;
            if (j >= b) break;
          }
          if (j == i) continue;
          if (nnz >= cap) return -1;
          sti(colPtr, nnz, j);
          stf(wPtr, nnz, w);
          nnz++;
        }
      }
      a = b;
    }
    sti(rowPtr, i + 1, nnz);
  }
  return nnz;
}

/** Initial state: V uniform in [V_reset, V_th), currents, refractory counters and delay ring zero. */
export function lifInit(n: i32, paramsPtr: usize, statePtr: usize, rng: usize): void {
  const vr = ldf(paramsPtr, P_VRESET);
  const span = ldf(paramsPtr, P_VTH) - vr;
  for (let i = 0; i < n; i++) stf(statePtr, i, vr + span * rngUniform01(rng));
}

/** Add `k ~ Poisson(len·lam)` external spikes of weight `w` to uniformly chosen neurons of [lo, lo + len). */
@inline function drive(rng: usize, buf: usize, lo: i32, len: i32, lam: f64, w: f64): void {
  if (len <= 0 || lam <= 0.0) return;
  const k = rngPoisson(rng, <f64>len * lam);
  for (let q = 0; q < k; q++) {
    const j = lo + <i32>rngBounded(rng, <u32>len);
    stf(buf, j, ldf(buf, j) + w);
  }
}

/**
 * Finish neuron i's step given its integrated voltage `v`: hold it at reset
 * while refractory, else spike at v ≥ V_th (record, reset, start the
 * refractory period, add its weights to the delay slot `outE`/`outI`).
 * Returns the new spike count.
 */
@inline function settle(
  i: i32, v: f64, refPtr: usize, statePtr: usize, vTh: f64, vReset: f64, refSteps: i32, t: i32,
  spikeStepPtr: usize, spikeIdxPtr: usize, count: i32, rowPtr: usize, colPtr: usize, wPtr: usize,
  outE: usize, outI: usize,
): i32 {
  const r = ldi(refPtr, i);
  if (r > 0) {
    sti(refPtr, i, r - 1);
    return count;
  }
  if (v < vTh) {
    stf(statePtr, i, v);
    return count;
  }
  stf(statePtr, i, vReset);
  sti(refPtr, i, refSteps);
  sti(spikeStepPtr, count, t);
  sti(spikeIdxPtr, count, i);
  const e = ldi(rowPtr, i + 1);
  for (let q = ldi(rowPtr, i); q < e; q++) {
    const w = ldf(wPtr, q);
    const j = ldi(colPtr, q);
    if (w >= 0.0) stf(outE, j, ldf(outE, j) + w);
    else stf(outI, j, ldf(outI, j) + w);
  }
  return count + 1;
}

/**
 * Advance the network by up to `nSteps` steps, starting at absolute step
 * `stepStart`, with neurons [stimLo, stimHi) stimulated (empty: none; a
 * cluster is a contiguous range of excitatory neurons). Stops early, before a
 * step, when fewer than n spike slots remain. Writes meta[0] = steps done,
 * meta[1] = spikes written.
 *
 * External drive by superposition: the independent Poisson(ν_i Δ) counts of
 * the neurons of a range with a common rate are drawn as one Poisson(len·νΔ)
 * total, each spike given to a uniformly chosen neuron of the range (the same
 * distribution, with about ν Δ ≪ 1 draws per neuron and step instead of one).
 */
export function lifRun(
  n: i32, nE: i32, paramsPtr: usize,
  rowPtr: usize, colPtr: usize, wPtr: usize,
  statePtr: usize, refPtr: usize, bufPtr: usize, rng: usize,
  stepStart: i32, nSteps: i32, stimLo: i32, stimHi: i32,
  spikeStepPtr: usize, spikeIdxPtr: usize, cap: i32, metaPtr: usize,
): void {
  const dt = ldf(paramsPtr, P_DT);
  const eL = ldf(paramsPtr, P_EL);
  const vTh = ldf(paramsPtr, P_VTH);
  const vReset = ldf(paramsPtr, P_VRESET);
  const tauM = ldf(paramsPtr, P_TAUM);
  const tauE = ldf(paramsPtr, P_TAUE);
  const tauI = ldf(paramsPtr, P_TAUI);
  const jExt = ldf(paramsPtr, P_JEXT);
  const bias = ldf(paramsPtr, P_BIAS);
  const refSteps = <i32>ldf(paramsPtr, P_REF_STEPS);
  const delay = <i32>ldf(paramsPtr, P_DELAY_STEPS);
  const slots = delay + 1;

  const dm = Math.exp(-dt / tauM);
  const dE = Math.exp(-dt / tauE);
  const dI = Math.exp(-dt / tauI);
  const kE = (tauE / (tauE - tauM)) * (dE - dm);
  const kI = (tauI / (tauI - tauM)) * (dI - dm);
  const aE = tauM / tauE; // weight → current jump
  const aI = tauM / tauI;
  const rest = eL + bias;
  const cond = ldf(paramsPtr, P_CONDUCTANCE) != 0.0;
  const revE = ldf(paramsPtr, P_REV_E);
  const revI = ldf(paramsPtr, P_REV_I);
  const fE = (tauE / dt) * (1.0 - dE); // mean of e^{−s/τ_E} over a step
  const fI = (tauI / dt) * (1.0 - dI);
  const vaE = f64x2.splat(aE);
  const vaI = f64x2.splat(aI);
  const vdE = f64x2.splat(dE);
  const vdI = f64x2.splat(dI);
  const vdm = f64x2.splat(dm);
  const vkE = f64x2.splat(kE);
  const vkI = f64x2.splat(kI);
  const vRest = f64x2.splat(rest);
  const zero = f64x2.splat(0.0);
  // Expected external spikes per neuron and step.
  const lamE = ldf(paramsPtr, P_RATE_E) * dt * 1e-3;
  const lamI = ldf(paramsPtr, P_RATE_I) * dt * 1e-3;
  const lamS = lamE * (1.0 + ldf(paramsPtr, P_STIM_GAIN));
  const sLo = stimLo < stimHi ? stimLo : 0;
  const sHi = stimLo < stimHi ? stimHi : 0;

  const iePtr = statePtr + ((<usize>n) << 3);
  const iiPtr = statePtr + ((<usize>(2 * n)) << 3);
  const bufI = bufPtr + ((<usize>(slots * n)) << 3);

  let count = 0;
  let step = 0;
  for (; step < nSteps; step++) {
    if (count + n > cap) break;
    const t = stepStart + step;
    const slot = t % slots;
    const inE = bufPtr + ((<usize>(slot * n)) << 3);
    const inI = bufI + ((<usize>(slot * n)) << 3);
    const outSlot = (t + delay) % slots;
    const outE = bufPtr + ((<usize>(outSlot * n)) << 3);
    const outI = bufI + ((<usize>(outSlot * n)) << 3);
    // External Poisson input of this step, into the arrivals of this step.
    drive(rng, inE, 0, sLo, lamE, jExt);
    drive(rng, inE, sLo, sHi - sLo, lamS, jExt);
    drive(rng, inE, sHi, nE - sHi, lamE, jExt);
    drive(rng, inE, nE, n - nE, lamI, jExt);
    // The linear part for two neurons at a time (f64x2: the same IEEE operations
    // per lane as the scalar tail, so the same bits), then threshold,
    // refractory state and spike propagation per neuron.
    let i = 0;
    if (!cond) for (; i + 2 <= n; i += 2) {
      const ie = f64x2.add(v128.load(af64(iePtr, i)), f64x2.mul(vaE, v128.load(af64(inE, i))));
      const ii = f64x2.add(v128.load(af64(iiPtr, i)), f64x2.mul(vaI, v128.load(af64(inI, i))));
      v128.store(af64(inE, i), zero);
      v128.store(af64(inI, i), zero);
      v128.store(af64(iePtr, i), f64x2.mul(ie, vdE));
      v128.store(af64(iiPtr, i), f64x2.mul(ii, vdI));
      const vOld = v128.load(af64(statePtr, i));
      const vNew = f64x2.add(
        f64x2.add(f64x2.add(vRest, f64x2.mul(f64x2.sub(vOld, vRest), vdm)), f64x2.mul(vkE, ie)),
        f64x2.mul(vkI, ii),
      );
      count = settle(i, f64x2.extract_lane(vNew, 0), refPtr, statePtr, vTh, vReset, refSteps, t, spikeStepPtr, spikeIdxPtr, count, rowPtr, colPtr, wPtr, outE, outI);
      count = settle(i + 1, f64x2.extract_lane(vNew, 1), refPtr, statePtr, vTh, vReset, refSteps, t, spikeStepPtr, spikeIdxPtr, count, rowPtr, colPtr, wPtr, outE, outI);
    }
    for (; i < n; i++) {
      const ie = ldf(iePtr, i) + aE * ldf(inE, i);
      const ii = ldf(iiPtr, i) + aI * ldf(inI, i);
      stf(inE, i, 0.0);
      stf(inI, i, 0.0);
      stf(iePtr, i, ie * dE);
      stf(iiPtr, i, ii * dI);
      let v: f64;
      if (cond) {
        // Conductances relative to the leak, averaged over the step, held fixed.
        const gE = (ie * fE) / (revE - eL);
        const gI = (ii * fI) / (revI - eL);
        const gTot = 1.0 + gE + gI;
        const vInf = (rest + gE * revE + gI * revI) / gTot;
        v = vInf + (ldf(statePtr, i) - vInf) * Math.exp((-dt * gTot) / tauM);
      } else {
        v = rest + (ldf(statePtr, i) - rest) * dm + kE * ie + kI * ii;
      }
      count = settle(i, v, refPtr, statePtr, vTh, vReset, refSteps, t, spikeStepPtr, spikeIdxPtr, count, rowPtr, colPtr, wPtr, outE, outI);
    }
  }
  sti(metaPtr, 0, step);
  sti(metaPtr, 1, count);
}
