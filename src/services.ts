import type { Config } from "./config";
import { AccountService } from "./accounts/account-service";
import { bootstrapAdmin } from "./accounts/admin-bootstrap";
import { AttemptLimiter } from "./accounts/attempt-limiter";
import { DeviceTokens } from "./accounts/device-tokens";
import { MemoryAttemptStore, type AttemptStore } from "./accounts/attempt-store";
import { RedisAttemptStore } from "./accounts/redis-attempt-store";
import { AccessTokens } from "./auth/access-token";
import { DatabaseClock } from "./db/database-clock";
import { loadSigningKeys } from "./auth/signing-keys";
import type { Database } from "./db/database";
import type { Logger } from "./logging/logger";
import { ConnectionRegistry } from "./realtime/connection-registry";
import { PostgresSessionEventBus } from "./realtime/postgres-session-event-bus";
import { RedisSessionEventBus } from "./realtime/redis-session-event-bus";
import { SessionFeeds } from "./realtime/session-feeds";
import { ServiceMetrics } from "./metrics/service-metrics";
import { ExpiryAndRetentionSweeper } from "./sessions/expiry-and-retention-sweeper";
import { LastActiveWriter } from "./sessions/last-active-writer";
import { databaseRevocationSource } from "./sessions/revocation/database-source";
import { undeliveredHoldMs, RevocationGate, revocationLogRetentionSeconds, revocationMemorySeconds } from "./sessions/revocation/revocation-gate";
import { SessionAccess } from "./sessions/session-access";
import { LocalOnlyEventBus, type SessionEventBus } from "./sessions/session-event-bus";
import { SessionLists } from "./sessions/session-lists";
import { SessionService } from "./sessions/session-service";
import { announceTo, UnitOfWork } from "./sessions/unit-of-work";
import { loadSignalSigningKey } from "./signals/signing-key";
import { SignalTransmitter } from "./signals/transmitter";

const CLOCK_SYNC_INTERVAL_MS = 60_000;
// How often marked sessions' lastActiveAt is written, in one UPDATE for all of them.
const LAST_ACTIVE_WRITE_INTERVAL_MS = 1000;
// Users whose session lists are held in memory at once (a list is a few KiB).
const SESSION_LISTS_HELD = 10_000;

/** The wired domain: what the server's transports and resolvers call. */
export interface Services {
  accounts: AccountService;
  sessions: SessionService;
  access: SessionAccess;
  connections: ConnectionRegistry;
  /** mySessionsChanged subscriptions, by user. */
  feeds: SessionFeeds;
  metrics: ServiceMetrics;
  /** The one way in for news of endings: what this instance knows of them, so that checking a token needs no database. */
  revocations: RevocationGate;
  /** The Shared Signals transmitter: security events to other services. */
  signals: SignalTransmitter;
}

export interface RunningServices {
  services: Services;
  stop(): Promise<void>;
}

/** What carries news between instances: Redis when configured, else PostgreSQL when the database is one, else nothing (one process). */
export type BusKind = "redis" | "postgres" | "in-process";

export function busKindFor(config: Config, database: Database): BusKind {
  if (config.redisUrl) return "redis";
  if (database.kind === "postgres" && config.databaseUrl) return "postgres";
  return "in-process";
}

/**
 * Wires the domain together; the only place that knows which implementation backs what.
 * `onlyInstance`: no other instance can reach the database (the embedded one). Then, or with a
 * bus every instance hears (Redis, or PostgreSQL's LISTEN/NOTIFY), every ending reaches this
 * instance's memory at once and tokens are checked there; instances that share a database they
 * cannot listen on (the tests' shared embedded one) ask the database on every request.
 */
export async function startServices(config: Config, database: Database, logger: Logger, onlyInstance: boolean): Promise<RunningServices> {
  const keys = loadSigningKeys(config.jwtSecret, config.jwtPreviousSecrets, config.dataDir);
  const signalKey = await loadSignalSigningKey(config.signalsPrivateKey, config.dataDir);
  // Redis when given; else PostgreSQL's own LISTEN/NOTIFY, which every instance on the database hears.
  const busKind = busKindFor(config, database);
  const bus: SessionEventBus =
    busKind === "redis" ? await RedisSessionEventBus.connect(config.redisUrl!, logger) : busKind === "postgres" ? await PostgresSessionEventBus.connect(config.databaseUrl!, logger) : new LocalOnlyEventBus();
  let attempts: AttemptStore | undefined;
  try {
    const clock = new DatabaseClock();
    await clock.sync(database.dataSource);
    const tokenClock = { now: () => clock.now(), toleranceSeconds: config.clockToleranceSeconds };
    const accessTokens = new AccessTokens(keys.access, keys.previousAccess, config.jwtIssuer, config.jwtAudience, config.accessTokenTtlSeconds, tokenClock);
    const lastActive = new LastActiveWriter(database.dataSource, LAST_ACTIVE_WRITE_INTERVAL_MS, config.lastActiveResolutionSeconds * 1000, logger);
    // Remembered by the database's clock, so a step of the host's clock neither forgets early nor keeps for ever.
    const memorySeconds = revocationMemorySeconds(config);
    const revocations = new RevocationGate(
      databaseRevocationSource(database.dataSource),
      bus,
      { memorySeconds, catchUpIntervalMs: config.sweepIntervalMs, hearsEveryInstance: onlyInstance || busKind !== "in-process" },
      clock,
      logger,
    );
    await revocations.load();
    const transactions = new UnitOfWork(database.dataSource, announceTo(revocations, bus, logger, undeliveredHoldMs(config.sweepIntervalMs)), (news) => revocations.committing(news));
    const sessions = new SessionService(database.dataSource, accessTokens, keys.refreshChain, config, transactions, lastActive, revocations);
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
    const devices = new DeviceTokens(database.dataSource.manager, keys.deviceTokens);
    const accounts = new AccountService(database.dataSource.manager, sessions, limiter, devices, config.signupEnabled, logger);
    const lists = new SessionLists((userId) => sessions.listActive(userId), clock, () => revocations.trusted(), {
      capacity: SESSION_LISTS_HELD,
      ttlMs: config.lastActiveResolutionSeconds * 1000,
    });
    const access = new SessionAccess(sessions, lists, async (id) => (await accounts.findUser(id)) !== null);
    if (config.adminEmail && config.adminPassword) await bootstrapAdmin(accounts, config.adminEmail, config.adminPassword, logger);
    const connections = new ConnectionRegistry(sessions, revocations);
    const feeds = new SessionFeeds(sessions, revocations, logger);
    const metrics = new ServiceMetrics({
      openSockets: () => connections.connectionCount,
      subscriptions: () => ({ sessionRevoked: connections.watcherCount, mySessionsChanged: feeds.feedCount }),
      busConnected: () => bus.connected(),
      authFromMemory: () => revocations.trusted(),
      revocationsTracked: () => revocations.tracked,
      revocationLogSecondsBehind: () => revocations.secondsBehind,
    });
    const signals = new SignalTransmitter(
      database.dataSource,
      signalKey,
      { insecureHosts: config.signalsInsecureHosts, retryHours: config.signalsRetryHours, now: () => clock.now() },
      metrics.registry,
      logger,
    );
    // Everything that acts on an ending or a role change listens to the gate. The outbox's rows
    // were written by the same commit, so a local ending or start means something to deliver now.
    revocations.onEnded(() => signals.queued());
    revocations.onStarted(() => signals.queued());
    revocations.onEnded((event, origin) => metrics.learned(event, origin));
    revocations.onEnded((event) => accounts.forgetProfile(event.userId));
    revocations.onRoleChanged((userId) => accounts.forgetProfile(userId));
    revocations.onEnded((event) => lists.forget(event.userId));
    revocations.onStarted((event) => lists.forget(event.userId));
    revocations.onChanged((event) => lists.forget(event.userId));
    revocations.onClaimed((claim) => lists.forget(claim.userId));
    revocations.onResync(() => lists.clear());
    lastActive.onWritten((sessionIds) => lists.touched(sessionIds));
    const sweeper = new ExpiryAndRetentionSweeper(sessions, config.sweepIntervalMs, config.sessionRetentionDays, revocationLogRetentionSeconds(memorySeconds), logger, (seconds) => metrics.sweep(seconds), [
      { what: "device tokens", runBatch: (batch) => devices.purgeExpired(batch) },
      { what: "signal receivers' tokens", runBatch: (batch) => signals.receivers.purgeExpiredTokens(batch) },
      { what: "security events past SIGNALS_RETRY_HOURS", runBatch: (batch) => signals.purgeExpired(batch) },
    ]);
    revocations.start();
    sweeper.start();
    lastActive.start();
    // Clocks drift; a failed measurement keeps the last offset.
    const clockSync = setInterval(() => clock.sync(database.dataSource).catch(() => undefined), CLOCK_SYNC_INTERVAL_MS).unref();
    return {
      services: { accounts, sessions, access, connections, feeds, metrics, revocations, signals },
      async stop() {
        clearInterval(clockSync);
        await sweeper.stop();
        await lastActive.stop();
        await revocations.stop();
        connections.stop();
        feeds.stop();
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
