import net from "node:net";

/**
 * The client's address: the connection's peer, or, behind `trustedHops` proxies, the address
 * the outermost trusted proxy saw. Entries a client wrote into X-Forwarded-For itself sit to
 * the left of what our proxies appended, so counting from the right cannot be spoofed.
 */
export function clientIp(peerAddress: string | undefined, forwardedFor: string | string[] | undefined, trustedHops: number): string {
  const peer = normalizeIp(peerAddress ?? "") ?? "0.0.0.0";
  if (trustedHops === 0 || forwardedFor === undefined) return peer;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor)
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  // The chain as seen from here: [...forwarded, peer]; step back one entry per trusted proxy.
  const chain = [...hops, peer];
  const index = Math.max(0, chain.length - 1 - trustedHops);
  return forwardedAddress(chain[index]) ?? peer;
}

/**
 * A canonical IPv4/IPv6 string (IPv4-mapped IPv6 shown as IPv4), or null when it is not an
 * address. An IPv6 zone id ("fe80::1%eth0", as a link-local peer arrives) is dropped: it names
 * an interface of the host that saw the address, not the client, and PostgreSQL's inet refuses it.
 */
export function normalizeIp(candidate: string): string | null {
  const trimmed = candidate.trim();
  const unzoned = trimmed.includes(":") ? trimmed.replace(/%.*$/, "") : trimmed;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(unzoned);
  const address = mapped ? mapped[1] : unzoned;
  return net.isIP(address) ? address.toLowerCase() : null;
}

function isPort(digits: string | undefined): boolean {
  return digits === undefined || Number(digits) <= 65535;
}

/**
 * One X-Forwarded-For entry's address. Some proxies add the client's port ("203.0.113.7:4711",
 * "[2001:db8::1]:4711"); it is dropped. An IPv6 address without brackets is read whole: its last
 * group cannot be told from a port.
 */
export function forwardedAddress(entry: string): string | null {
  const trimmed = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(trimmed);
  if (bracketed) return isPort(bracketed[2]) && net.isIPv6(bracketed[1].replace(/%.*$/, "")) ? normalizeIp(bracketed[1]) : null;
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(trimmed);
  if (withPort) return isPort(withPort[2]) ? normalizeIp(withPort[1]) : null;
  return normalizeIp(trimmed);
}
