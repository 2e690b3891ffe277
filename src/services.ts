import type { Config } from "./config";
import { ensureAdmin } from "./accounts/account-provisioning";
import { AccountService } from "./accounts/account-service";
import { LoginRateLimiter } from "./accounts/login-rate-limiter";
import { AccessTokens } from "./auth/access-token";
import { loadSigningKeys } from "./auth/jwt-secret";
import type { Services } from "./context";
import type { Database } from "./db/database";
import type { Logger } from "./logger";
import { LiveSessions } from "./realtime/live-sessions";
import { RedisRevocationBus } from "./realtime/redis-revocation-bus";
import { InProcessRevocationBus, type RevocationBus } from "./realtime/revocation-bus";
import { SessionManager } from "./sessions/session-manager";
import { SessionService } from "./sessions/session-service";

export interface RunningServices {
  services: Services;
  stop(): Promise<void>;
}

/** Wires the domain together; the only place that knows which implementation backs what. */
export async function startServices(config: Config, database: Database, logger: Logger): Promise<RunningServices> {
  const keys = loadSigningKeys(config.jwtSecret, config.dataDir);
  const bus: RevocationBus = config.redisUrl
    ? await RedisRevocationBus.connect(config.redisUrl, logger.error)
    : new InProcessRevocationBus();
  const accessTokens = new AccessTokens(keys.accessKey, config.jwtIssuer, config.jwtAudience, config.accessTokenTtlSeconds);
  const sessions = new SessionService(database.dataSource, accessTokens, keys.refreshChainKey, config, bus, logger);
  const limiter = new LoginRateLimiter({
    maxFailuresPerEmail: config.loginMaxFailuresPerEmail,
    maxFailuresPerIp: config.loginMaxFailuresPerIp,
    windowSeconds: config.loginFailureWindowSeconds,
  });
  const accounts = new AccountService(database.dataSource, sessions, limiter, config.signupEnabled, logger);
  const manager = new SessionManager(sessions, async (id) => (await accounts.findUser(id)) !== null);
  const live = new LiveSessions(sessions, bus, config.sweepIntervalMs, logger.error);
  live.start();
  if (config.adminEmail && config.adminPassword) {
    if (await ensureAdmin(database.dataSource.manager, config.adminEmail, config.adminPassword)) logger.info(`created administrator ${config.adminEmail}`);
  }
  return {
    services: { accounts, sessions, manager, live },
    async stop() {
      await live.stop();
      await bus.close();
    },
  };
}
