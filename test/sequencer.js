const Sequencer = require("@jest/test-sequencer").default;

// These files start the built service as child processes, one after another, and take the
// longest; started first, the short files fill in around them on the other worker instead of
// one worker finishing alone at the end. (Without timings from an earlier run, jest would
// order by file size.)
// The PostgreSQL restart drives 200 requests/s at two service processes: it runs early, beside
// these, rather than beside the browser tests, which it would starve of CPU on two cores.
// The fleet tests (a restart with 200 devices, nginx in front of two instances, clock steps) also
// start processes and clusters of their own: early too, not beside Chromium.
const SLOWEST = ["process.test.ts", "startup.test.ts", "postgres-restart.test.ts", "rolling-restart.test.ts", "restart-reconnect.test.ts", "clock-and-ttl.test.ts"];

const rank = (test) => {
  const index = SLOWEST.findIndex((name) => test.path.endsWith(`/${name}`));
  return index === -1 ? SLOWEST.length : index;
};

class SlowestFirst extends Sequencer {
  sort(tests) {
    return super.sort(tests).map((test, order) => ({ test, order })).sort((a, b) => rank(a.test) - rank(b.test) || a.order - b.order).map(({ test }) => test);
  }
}

module.exports = SlowestFirst;
