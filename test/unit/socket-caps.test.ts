import { SocketCaps } from "../../src/server/websocket/socket-caps";

const limits = { perNetwork: 200, perSession: 10, subscriptionsPerSocket: 20, handshakesPerNetwork: 50 };

describe("SocketCaps: handshakes per network", () => {
  test("the burst covers the socket cap: 200 devices of one address get in at once, the 201st waits", () => {
    const caps = new SocketCaps(limits);
    const admitted = Array.from({ length: 201 }, () => caps.admitHandshake("203.0.113.7", 0));
    expect(admitted.filter(Boolean)).toHaveLength(200);
    expect(admitted[200]).toBe(false);
  });

  test("past the burst, a storm is held to the steady rate (50 per 10 s)", () => {
    const caps = new SocketCaps(limits);
    for (let i = 0; i < 200; i++) caps.admitHandshake("203.0.113.7", 0);
    let admitted = 0;
    // One attempt every 10 ms for a minute: 6,000 attempts.
    for (let t = 10; t <= 60_000; t += 10) if (caps.admitHandshake("203.0.113.7", t)) admitted++;
    expect(admitted).toBe(300);
  });

  test("networks are counted apart, and an IPv6 /64 is one network", () => {
    const caps = new SocketCaps({ ...limits, perNetwork: 2, handshakesPerNetwork: 2 });
    expect([caps.admitHandshake("2001:db8::1", 0), caps.admitHandshake("2001:db8::2", 0), caps.admitHandshake("2001:db8::3", 0)]).toEqual([true, true, false]);
    expect(caps.admitHandshake("198.51.100.1", 0)).toBe(true);
  });

  test("a bucket never holds more than the burst, however long the network was quiet", () => {
    const caps = new SocketCaps({ ...limits, perNetwork: 3, handshakesPerNetwork: 3 });
    caps.admitHandshake("203.0.113.7", 0);
    const later = Array.from({ length: 4 }, () => caps.admitHandshake("203.0.113.7", 3_600_000));
    expect(later).toEqual([true, true, true, false]);
  });
});
