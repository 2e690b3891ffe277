import net from "node:net";

/**
 * The unit one client controls: an IPv4 address, or an IPv6 /64 (one customer's network: an
 * attacker given one gets 2^64 addresses, so limiting per address would limit nothing).
 */
export function ipPrefix(ip: string): string {
  if (net.isIPv4(ip)) return ip;
  if (!net.isIPv6(ip)) return ip;
  const [head, tail = ""] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An embedded IPv4 tail takes two groups; it lies beyond the /64 anyway.
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
