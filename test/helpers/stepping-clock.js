// Preloaded (node --require) into a service process to step its wall clock while it runs, as NTP
// correcting a bad start or an operator's `date -s` steps a host's. On SIGUSR2 the shift becomes
// the number of milliseconds written in the file CLOCK_SHIFT_FILE, and "clock shifted <ms>" is
// printed on stderr once it applies. Only the wall clock (Date) moves: the monotonic clock and
// timers are untouched, as on a real host. (skewed-clock.js is the same with a shift fixed at start.)
const fs = require("node:fs");

const file = process.env.CLOCK_SHIFT_FILE;
const RealDate = Date;
const realNow = RealDate.now;
let shift = 0;

class SteppedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(realNow() + shift);
    else super(...args);
  }
  static now() {
    return realNow() + shift;
  }
}

globalThis.Date = SteppedDate;

process.on("SIGUSR2", () => {
  shift = Number(fs.readFileSync(file, "utf8"));
  process.stderr.write(`clock shifted ${shift}\n`);
});
