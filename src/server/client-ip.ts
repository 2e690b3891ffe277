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
  return normalizeIp(chain[index]) ?? peer;
}

/** A canonical IPv4/IPv6 string (IPv4-mapped IPv6 shown as IPv4), or null when it is not an address. */
export function normalizeIp(candidate: string): string | null {
  const trimmed = candidate.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  const address = mapped ? mapped[1] : trimmed;
  return net.isIP(address) ? address.toLowerCase() : null;
}
