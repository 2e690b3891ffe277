import type { Config } from "./config";
import { AccountService } from "./accounts/account-service";
import { AttemptLimiter } from "./accounts/attempt-limiter";
import { MemoryAttemptStore, type AttemptStore } from "./accounts/attempt-store";
import { RedisAttemptStore } from "./accounts/redis-attempt-store";
import { AccessTokens } from "./auth/access-token";
import { DatabaseClock } from "./db/database-clock";
import { loadSigningKeys } from "./auth/signing-keys";
import type { Database } from "./db/database";
import type { Logger } from "./logging/logger";
import { ConnectionRegistry } from "./realtime/connection-registry";
import { RedisSessionEventBus, type ClaimedEnding } from "./realtime/redis-session-event-bus";
import { SessionFeeds } from "./realtime/session-feeds";
import { MeteredEventBus } from "./metrics/metered-event-bus";
import { ServiceMetrics } from "./metrics/service-metrics";
import { ExpirySweeper } from "./sessions/expiry-sweeper";
import { LastActiveWriter } from "./sessions/last-active-writer";
import { SessionAccess } from "./sessions/session-access";
import { InProcessSessionEventBus, type SessionEventBus } from "./sessions/session-event-bus";
import { SessionService } from "./sessions/session-service";
import { Revocations } from "./sessions/revocations";

const CLOCK_SYNC_INTERVAL_MS = 60_000;
// How often marked sessions' lastActiveAt is written, in one UPDATE for all of them.
const LAST_ACTIVE_WRITE_INTERVAL_MS = 1000;
// Beyond a token's lifetime and the clock tolerance: a token issued just as its session ended.
const REVOCATION_MEMORY_MARGIN_SECONDS = 60;

/** The wired domain: what the server's transports and resolvers call. */
export interface Services {
  accounts: AccountService;
  sessions: SessionService;
  access: SessionAccess;
  connections: ConnectionRegistry;
  /** mySessionsChanged subscriptions, by user. */
  feeds: SessionFeeds;
  metrics: ServiceMetrics;
  /** What this instance knows of recent endings, so that checking a token needs no database. */
  revocations: Revocations;
}

export interface RunningServices {
  services: Services;
  stop(): Promise<void>;
}

async function bootstrapAdmin(accounts: AccountService, email: string, password: string, logger: Logger): Promise<void> {
  const outcome = await accounts.ensureAdmin(email, password);
  if (outcome === "created") logger.info({ email }, "created administrator");
  if (outcome === "exists-as-user") {
    logger.warn(
      { email, command: `npm run user:create -- --email ${email} --role ADMIN` },
      "ADMIN_EMAIL names an existing USER account, which is not promoted: if it is really yours, promote it with the command",
    );
  }
}

/**
 * Wires the domain together; the only place that knows which implementation backs what.
 * `onlyInstance`: no other instance can reach the database (the embedded one). Then, or with
 * Redis, every ending reaches this instance's memory at once and tokens are checked there;
 * several instances on one PostgreSQL without Redis cannot hear each other, so each asks the
 * database on every request.
 */
export async function startServices(config: Config, database: Database, logger: Logger, onlyInstance: boolean): Promise<RunningServices> {
  const keys = loadSigningKeys(config.jwtSecret, config.jwtPreviousSecrets, config.dataDir);
  // The bus and the session service need each other: endings from Redis are confirmed by it.
  let sessions: SessionService | undefined;
  let attempts: AttemptStore | undefined;
  let connections: ConnectionRegistry | undefined;
  let feeds: SessionFeeds | undefined;
  let revocations: Revocations | undefined;
  // A claim from another instance is believed only from the database. Its sessions' tokens are
  // checked there until it is settled; the claims this instance would push (a socket of the
  // session, a live list of its user) are confirmed at once, the rest by the next read of the
  // revocation log. So the confirming queries follow this instance's sockets, not every ending.
  const confirmEndings = async (claims: ClaimedEnding[]) => {
    revocations!.suspect(claims.map((c) => c.sessionId));
    const wanted = claims.filter((c) => connections!.connectionsOf(c.sessionId) > 0 || feeds!.feedsOf(c.userId) > 0).map((c) => c.sessionId);
    const confirmed = wanted.length > 0 ? await sessions!.findEnded(wanted) : [];
    revocations!.settle(wanted, confirmed);
    return { checked: wanted.length, confirmed };
  };
  const transport: SessionEventBus = config.redisUrl
    ? await RedisSessionEventBus.connect(config.redisUrl, logger, confirmEndings)
    : new InProcessSessionEventBus();
  const metrics = new ServiceMetrics({
    openSockets: () => connections?.connectionCount ?? 0,
    subscriptions: () => ({ sessionRevoked: connections?.watcherCount ?? 0, mySessionsChanged: feeds?.feedCount ?? 0 }),
    busConnected: () => transport.connected(),
    authFromMemory: () => revocations?.trusted() ?? false,
    revocationsTracked: () => revocations?.tracked ?? 0,
    revocationLogSecondsBehind: () => revocations?.secondsBehind ?? Infinity,
  });
  const bus = new MeteredEventBus(transport, metrics);
  try {
    const clock = new DatabaseClock();
    await clock.sync(database.dataSource);
    const tokenClock = { now: () => clock.now(), toleranceSeconds: config.clockToleranceSeconds };
    const accessTokens = new AccessTokens(keys.access, keys.previousAccess, config.jwtIssuer, config.jwtAudience, config.accessTokenTtlSeconds, tokenClock);
    const lastActive = new LastActiveWriter(database.dataSource, LAST_ACTIVE_WRITE_INTERVAL_MS, config.lastActiveResolutionSeconds * 1000, logger);
    const revocationMemorySeconds = config.accessTokenTtlSeconds + config.clockToleranceSeconds + REVOCATION_MEMORY_MARGIN_SECONDS;
    revocations = new Revocations(
      database.dataSource,
      bus,
      // A token can be valid this long after the ending that must refuse it.
      { memorySeconds: revocationMemorySeconds, catchUpIntervalMs: config.sweepIntervalMs, hearsEveryInstance: onlyInstance || config.redisUrl !== undefined },
      logger,
      { caughtUp: (seconds) => metrics.caughtUp(seconds) },
    );
    await revocations.load();
    sessions = new SessionService(database.dataSource, accessTokens, keys.refreshChain, config, bus, logger, lastActive, revocations);
    // The bus has just reached the same Redis, so this connects (an unreachable Redis was reported there).
    attempts = config.redisUrl ? await RedisAttemptStore.connect(config.redisUrl, logger) : new MemoryAttemptStore();
    const limiter = new AttemptLimiter(
      {
        maxFailuresPerEmail: config.loginMaxFailuresPerEmail,
        maxFailuresPerIp: config.loginMaxFailuresPerIp,
        windowSeconds: config.loginFailureWindowSeconds,
        signupsPerIp: config.signupMaxPerIp,
        signupWindowSeconds: config.signupWindowSeconds,
      },
      attempts,
    );
    const accounts = new AccountService(database.dataSource, sessions, limiter, config.signupEnabled, logger);
    revocations.onEnded((event) => accounts.forgetProfile(event.userId));
    revocations.onRoleChanged((userId) => accounts.forgetProfile(userId));
    const access = new SessionAccess(sessions, async (id) => (await accounts.findUser(id)) !== null);
    if (config.adminEmail && config.adminPassword) await bootstrapAdmin(accounts, config.adminEmail, config.adminPassword, logger);
    connections = new ConnectionRegistry(sessions, revocations);
    feeds = new SessionFeeds(sessions, bus, revocations, logger);
    const sweeper = new ExpirySweeper(sessions, config.sweepIntervalMs, config.sessionRetentionDays, 2 * revocationMemorySeconds, logger, (seconds) => metrics.sweep(seconds));
    revocations.start();
    sweeper.start();
    lastActive.start();
    // Clocks drift; a failed measurement keeps the last offset.
    const clockSync = setInterval(() => clock.sync(database.dataSource).catch(() => undefined), CLOCK_SYNC_INTERVAL_MS).unref();
    return {
      services: { accounts, sessions, access, connections, feeds, metrics, revocations },
      async stop() {
        clearInterval(clockSync);
        await sweeper.stop();
        await lastActive.stop();
        await revocations!.stop();
        connections!.stop();
        feeds!.stop();
        await attempts?.close();
        await bus.close();
      },
    };
  } catch (error) {
    await attempts?.close();
    await bus.close();
    throw error;
  }
}
