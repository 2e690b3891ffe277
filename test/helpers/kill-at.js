// Preloaded (node --require) into a service process to SIGKILL it at one point of an ending,
// as a power cut or the OOM killer would (KILL_AT):
// - "publish": after the ending committed, as it is about to be published on Redis;
// - "ending": as the ending's statement is about to be sent, so nothing of it commits.
// - "signal-push": see below.
const point = process.env.KILL_AT;

function die() {
  process.kill(process.pid, "SIGKILL");
  return new Promise(() => undefined);
}

if (point === "publish") {
  const Redis = require("ioredis");
  // News is published in a transaction with the count of instances that must answer it.
  Redis.prototype.multi = die;
  Redis.prototype.publish = die;
}

if (point === "ending") {
  const { Client } = require("pg");
  const query = Client.prototype.query;
  Client.prototype.query = function (config, ...rest) {
    const text = typeof config === "string" ? config : config && config.text;
    if (typeof text === "string" && /UPDATE sessions SET ended_at = now\(\), end_reason = \$1/.test(text)) return die();
    return query.call(this, config, ...rest);
  };
}

// "signal-push": as the first security event is about to be pushed to a receiver: the ending
// committed (its event is in the outbox) and this instance holds the stream's lease.
if (point === "signal-push") {
  const fetch = globalThis.fetch;
  globalThis.fetch = function (input, init) {
    const type = init && init.headers && init.headers["content-type"];
    if (type === "application/secevent+jwt") return die();
    return fetch.call(this, input, init);
  };
}
