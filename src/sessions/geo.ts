import geoip from "geoip-lite";

export interface GeoLocation {
  country: string | null;
  region: string | null;
  city: string | null;
  timezone: string | null;
}

/** Where the bundled GeoIP data puts an address; null for private, loopback and unknown ones. */
export function locate(ipAddress: string): GeoLocation | null {
  const found = geoip.lookup(ipAddress);
  if (!found) return null;
  const location = {
    country: found.country || null,
    region: found.region || null,
    city: found.city || null,
    timezone: found.timezone || null,
  };
  return Object.values(location).some((part) => part !== null) ? location : null;
}
