// Preloaded into the memory run's fake (`node --expose-gc --import`): a full collection every few seconds, so that
// the live heap is sampled through the run. The fake promotes so little under this load that V8 may need no full
// collection in a minute, which left the memory budget nothing to compare.
const collect = (globalThis as { gc?: () => void }).gc;
if (collect) setInterval(collect, 3000).unref();
