// Preloaded (node --require) into a service process to move its wall clock by
// SKEWED_CLOCK_MS milliseconds, as a misconfigured host's would be. Timers are untouched.
const shift = Number(process.env.SKEWED_CLOCK_MS || 0);
const RealDate = Date;
const realNow = RealDate.now;

class SkewedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(realNow() + shift);
    else super(...args);
  }
  static now() {
    return realNow() + shift;
  }
}

globalThis.Date = SkewedDate;
