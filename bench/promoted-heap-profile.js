// node -r ./bench/promoted-heap-profile.js dist/main.js … ; kill -USR2 <pid> writes PROMOTED_HEAP_PROFILE
// (default /tmp/promoted.heapprofile); read it with bench/heap-profile-summary.ts.
// Samples allocations that reach the old space: objects a major GC collects are kept in the profile,
// objects a scavenge collects are not. Sampling starts 6 s after start-up (past module loading).
const inspector = require('node:inspector');
const { writeFileSync } = require('node:fs');
const session = new inspector.Session();
session.connect();
session.post('HeapProfiler.enable');
setTimeout(() => {
  session.post('HeapProfiler.startSampling', { samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: false });
}, 6000).unref();
process.on('SIGUSR2', () => {
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (error) return console.error(`promoted-heap-profile: ${error.message}`);
    writeFileSync(process.env.PROMOTED_HEAP_PROFILE ?? '/tmp/promoted.heapprofile', JSON.stringify(result.profile));
  });
});
