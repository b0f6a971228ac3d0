// Run in Node, Deno and Chromium by tests/lif/runtimes.test.ts: simulate a
// small clustered network, write and read it back as CSV, read an NWB file
// (h5wasm loaded lazily by the build in use), and fingerprint the spike times.
/** FNV-1a over the bytes of each Float64Array, in order. */
function fingerprint(times) {
  let h = 0x811c9dc5;
  for (const t of times) {
    const b = new Uint8Array(t.buffer, t.byteOffset, t.byteLength);
    for (let k = 0; k < b.length; k++) h = Math.imul(h ^ b[k], 0x01000193) >>> 0;
    h = Math.imul(h ^ 0xff, 0x01000193) >>> 0; // neuron separator
  }
  return h.toString(16);
}

export async function probe(dgrn, nwbBytes) {
  const k = await dgrn.init();
  const r = dgrn.simulateLIF({ n: 200, clusters: 4, duration: 0.5, seed: 7 });
  const csvBytes = dgrn.writeSpikes(r.spikes, "csv");
  const csv = dgrn.readSpikes(csvBytes, { nNeurons: 200 });
  // A Blob: streamed through papaparse's FileReader path in browsers, read whole elsewhere.
  const blob = await dgrn.readSpikesAsync(new Blob([csvBytes]), { format: "csv", nNeurons: 200 });
  const nwb = await dgrn.readSpikesAsync(nwbBytes, { format: "nwb" });
  return {
    platform: k.info.platform,
    spikes: r.spikes.times.reduce((a, t) => a + t.length, 0),
    synapses: r.truth.weights.source.length,
    digest: fingerprint(r.spikes.times),
    csvDigest: fingerprint(csv.times),
    blobDigest: fingerprint(blob.times),
    nwbUnits: nwb.nNeurons,
    nwbDigest: fingerprint(nwb.times),
  };
}

export { fingerprint };
