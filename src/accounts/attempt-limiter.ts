import { RateLimited } from "../domain/errors";
import type { AttemptStore, LimitCheck } from "./attempt-store";
import { retryAfterSeconds } from "./attempt-store";
import { ipPrefix } from "../domain/ip-prefix";

export interface AttemptLimits {
  maxFailuresPerEmail: number;
  maxFailuresPerIp: number;
  windowSeconds: number;
  signupsPerIp: number;
  signupWindowSeconds: number;
}

// A network an account has logged in from is trusted for this long: its owner is not locked out
// by what others do from elsewhere, or from their own network.
const TRUSTED_FOR_MS = 30 * 24 * 3600 * 1000;
// An attempt waits at most this long for attempts in flight (each one argon2 check) to settle.
const MAX_WAIT_MS = 10_000;

/** A password check under way: say how it ended, exactly once. */
export interface PasswordAttempt {
  succeeded(): Promise<void>;
  failed(): Promise<void>;
  /** It never got to the password (the database failed): counts as nothing. */
  abandoned(): Promise<void>;
}

/**
 * Limits password guessing. Failures are counted per account and per network (IPv4 address or
 * IPv6 /64) in a sliding window; an account's owner, from a network that account has logged in
 * from before, has a count of their own, so guessing from elsewhere (or a crowd behind one NAT)
 * never locks them out. A device that presents a device token of the account (device-tokens.ts)
 * is judged by that token's count alone (OWASP's device cookies): its own failures lock only it,
 * and nothing others do, from its network or elsewhere, locks it. Attempts in flight count as
 * reservations: a burst of parallel guesses cannot get past a limit, and a correct password is
 * never refused because of them: it waits for them to settle instead.
 */
export class AttemptLimiter {
  constructor(
    private readonly limits: AttemptLimits,
    private readonly store: AttemptStore,
  ) {}

  /**
   * Admits a password check for this account from this address, or throws RateLimited.
   * `deviceToken`: the id of a device token of this account that the attempt presented, already
   * found valid (DeviceTokens.recognise); null for any other client.
   */
  async begin(email: string, ip: string, deviceToken: string | null = null): Promise<PasswordAttempt> {
    const network = ipPrefix(ip);
    const pair = `pair:${email}|${network}`;
    const checks = await this.checksFor(email, network, pair, deviceToken);
    const ticket = await this.admit(checks);
    const keys = checks.map((c) => c.key);
    let over = false;
    const end = async (outcome: "succeeded" | "failed" | "abandoned") => {
      if (over) return;
      over = true;
      await this.store.settle(keys, ticket, outcome === "failed");
      if (outcome === "succeeded") {
        // A correct password clears the account's counts (not the network's) and trusts the
        // network. From a device with its token, only the token's: the device's typos never went
        // to the account's count, so what is there is others' guessing, which must keep counting.
        await this.store.clear(deviceToken ? keys : [`email:${email}`, pair]);
        await this.store.trust(pair, TRUSTED_FOR_MS);
      }
    };
    return { succeeded: () => end("succeeded"), failed: () => end("failed"), abandoned: () => end("abandoned") };
  }

  /** The account was just made from this network: its owner is at home there. */
  async trustNetwork(email: string, ip: string): Promise<void> {
    await this.store.trust(`pair:${email}|${ipPrefix(ip)}`, TRUSTED_FOR_MS);
  }

  /** Counts a sign-up from this address; throws RateLimited past the limit (each costs a password hash). */
  async signUp(ip: string): Promise<void> {
    const waitMs = await this.store.hit(`signup:${ipPrefix(ip)}`, this.limits.signupsPerIp, this.limits.signupWindowSeconds * 1000);
    if (waitMs > 0) throw new RateLimited(retryAfterSeconds(waitMs));
  }

  /** The counts an attempt is judged by: its device token's; else its known network's; else the account's and the network's. */
  private async checksFor(email: string, network: string, pair: string, deviceToken: string | null): Promise<LimitCheck[]> {
    const max = this.limits.maxFailuresPerEmail;
    if (deviceToken) return [{ key: `device:${deviceToken}`, max }];
    if (await this.store.isTrusted(pair)) return [{ key: pair, max }];
    return [{ key: `email:${email}`, max }, { key: `ip:${network}`, max: this.limits.maxFailuresPerIp }];
  }

  private async admit(checks: LimitCheck[]): Promise<string> {
    const deadline = Date.now() + MAX_WAIT_MS;
    for (;;) {
      const admission = await this.store.admit(checks, this.limits.windowSeconds * 1000);
      if (admission.kind === "admitted") return admission.ticket;
      if (admission.kind === "limited") throw new RateLimited(retryAfterSeconds(admission.retryAfterMs));
      // Attempts in flight could reach the limit: their outcome decides, so wait for it.
      if (Date.now() > deadline) throw new RateLimited(1);
      await this.store.settled(Math.min(250, deadline - Date.now()));
    }
  }
}
