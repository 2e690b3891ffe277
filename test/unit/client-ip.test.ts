import { clientIp, forwardedAddress, normalizeIp } from "../../src/server/client-ip";

// docs/api.md: ipAddress is the connection's peer; X-Forwarded-For counts only with TRUST_PROXY hops,
// and then from the right, because everything left of our own proxies' entries is client-written.
describe("clientIp", () => {
  describe("with no trusted proxy (the default)", () => {
    test.each([
      ["a single spoofed address", "8.8.8.8"],
      ["a spoofed chain", "6.6.6.6, 8.8.8.8"],
      ["several headers", ["6.6.6.6", "8.8.8.8"]],
      ["garbage", "not-an-ip"],
    ])("X-Forwarded-For with %s is ignored", (_label, forwardedFor) => {
      expect(clientIp("203.0.113.7", forwardedFor, 0)).toBe("203.0.113.7");
    });

    test("the peer is used as it is when there is no header", () => {
      expect(clientIp("2001:db8::1", undefined, 0)).toBe("2001:db8::1");
    });
  });

  describe("behind trusted proxies", () => {
    test("one hop: the address our proxy appended, the right-most entry", () => {
      expect(clientIp("10.0.0.2", "8.8.8.8", 1)).toBe("8.8.8.8");
      expect(clientIp("10.0.0.2", "6.6.6.6, 8.8.8.8", 1)).toBe("8.8.8.8");
      expect(clientIp("10.0.0.2", "1.1.1.1,6.6.6.6,  8.8.8.8", 1)).toBe("8.8.8.8");
    });

    test("two hops: the address the outer proxy saw, second from the right", () => {
      // client -> proxy A (appends the client, 6.6.6.6) -> proxy B (appends A, 10.0.0.9) -> us
      expect(clientIp("10.0.0.2", "1.1.1.1, 6.6.6.6, 10.0.0.9", 2)).toBe("6.6.6.6");
    });

    test("several X-Forwarded-For headers read as one list, in order", () => {
      expect(clientIp("10.0.0.2", ["6.6.6.6", "8.8.8.8"], 1)).toBe("8.8.8.8");
      expect(clientIp("10.0.0.2", ["1.1.1.1, 6.6.6.6", "10.0.0.9"], 2)).toBe("6.6.6.6");
    });

    test("fewer entries than trusted hops: the left-most entry, never beyond the list", () => {
      expect(clientIp("10.0.0.2", "8.8.8.8", 3)).toBe("8.8.8.8");
    });

    test("no header or an empty one: the peer", () => {
      expect(clientIp("10.0.0.2", undefined, 1)).toBe("10.0.0.2");
      expect(clientIp("10.0.0.2", "", 1)).toBe("10.0.0.2");
      expect(clientIp("10.0.0.2", " , ,", 1)).toBe("10.0.0.2");
    });

    test("empty entries are skipped when counting hops", () => {
      expect(clientIp("10.0.0.2", "6.6.6.6, , 8.8.8.8,", 1)).toBe("8.8.8.8");
    });

    test.each(["not-an-ip", "8.8.8.8:99999", "999.1.1.1", "[8.8.8.8]:443", "[2001:db8::1]:", "<script>", "unknown"])(
      "a garbage entry %p at the trusted position falls back to the peer",
      (garbage) => {
        expect(clientIp("10.0.0.2", `6.6.6.6, ${garbage}`, 1)).toBe("10.0.0.2");
      },
    );

    test("garbage to the left of the trusted position does not matter", () => {
      expect(clientIp("10.0.0.2", "' OR 1=1 --, 8.8.8.8", 1)).toBe("8.8.8.8");
    });

    test("IPv6 entries are kept, in lower case; IPv4-mapped ones read as IPv4", () => {
      expect(clientIp("10.0.0.2", "2001:4860:4860::8888", 1)).toBe("2001:4860:4860::8888");
      expect(clientIp("10.0.0.2", "2001:4860:4860::8888".toUpperCase(), 1)).toBe("2001:4860:4860::8888");
      expect(clientIp("10.0.0.2", "::ffff:8.8.8.8", 1)).toBe("8.8.8.8");
    });

    // Some proxies (cloud balancers, ingresses) append the client's port too.
    test("an entry with a port is the address without it", () => {
      expect(clientIp("10.0.0.2", "6.6.6.6, 203.0.113.7:4711", 1)).toBe("203.0.113.7");
      expect(clientIp("10.0.0.2", "6.6.6.6, [2001:DB8::1]:4711", 1)).toBe("2001:db8::1");
      expect(clientIp("10.0.0.2", "[2001:db8::1]", 1)).toBe("2001:db8::1");
      expect(clientIp("10.0.0.2", "[::ffff:203.0.113.7]:80, 10.0.0.9", 2)).toBe("203.0.113.7");
    });

    test("an IPv6 zone id is not part of the address", () => {
      expect(clientIp("10.0.0.2", "fe80::1%eth0", 1)).toBe("fe80::1");
      expect(clientIp("10.0.0.2", "[fe80::1%25eth0]:4711", 1)).toBe("fe80::1");
    });
  });

  describe("the peer address", () => {
    test("IPv4-mapped IPv6 (a dual-stack listener) reads as IPv4", () => {
      expect(clientIp("::ffff:127.0.0.1", undefined, 0)).toBe("127.0.0.1");
      expect(clientIp("::FFFF:203.0.113.7", "8.8.8.8", 0)).toBe("203.0.113.7");
    });

    test("IPv6 loopback stays as it is", () => {
      expect(clientIp("::1", undefined, 0)).toBe("::1");
    });

    test("a link-local peer's zone id is dropped before the address is stored", () => {
      expect(clientIp("fe80::1%eth0", undefined, 0)).toBe("fe80::1");
      expect(clientIp("FE80::ABCD%enp0s31f6", "8.8.8.8", 0)).toBe("fe80::abcd");
    });

    test("unknown (a destroyed socket) becomes 0.0.0.0, never undefined", () => {
      expect(clientIp(undefined, undefined, 0)).toBe("0.0.0.0");
      expect(clientIp(undefined, "8.8.8.8", 0)).toBe("0.0.0.0");
    });
  });
});

describe("normalizeIp", () => {
  test.each([
    ["8.8.8.8", "8.8.8.8"],
    ["  8.8.8.8 ", "8.8.8.8"],
    ["::ffff:10.0.0.1", "10.0.0.1"],
    ["::FFFF:10.0.0.1", "10.0.0.1"],
    ["2001:DB8::1", "2001:db8::1"],
    ["::1", "::1"],
    ["fe80::1%eth0", "fe80::1"],
    ["fe80::1%1", "fe80::1"],
  ])("%p is the address %p", (candidate, address) => {
    expect(normalizeIp(candidate)).toBe(address);
  });

  test.each(["", "   ", "1.2.3", "256.0.0.1", "8.8.8.8:80", "example.com", "::ffff:not-an-ip", "1.2.3.4, 5.6.7.8", "1.2.3.4%eth0", "%eth0"])("%p is not an address", (candidate) => {
    expect(normalizeIp(candidate)).toBeNull();
  });
});

describe("forwardedAddress", () => {
  test.each([
    ["203.0.113.7", "203.0.113.7"],
    ["203.0.113.7:4711", "203.0.113.7"],
    ["203.0.113.7:0", "203.0.113.7"],
    ["[2001:db8::1]:4711", "2001:db8::1"],
    ["[2001:db8::1]", "2001:db8::1"],
    ["2001:db8::1", "2001:db8::1"],
    // Without brackets the last group is part of the address, not a port.
    ["2001:db8::1:4711", "2001:db8::1:4711"],
    ["[fe80::1%eth0]:443", "fe80::1"],
  ])("%p is the address %p", (entry, address) => {
    expect(forwardedAddress(entry)).toBe(address);
  });

  test.each(["203.0.113.7:65536", "203.0.113.7:", "203.0.113.7:port", "[203.0.113.7]:80", "[2001:db8::1]:", "[2001:db8::1]:99999", "[not-an-ip]:80", "host.example:80"])("%p is not an address", (entry) => {
    expect(forwardedAddress(entry)).toBeNull();
  });
});
