import "reflect-metadata";
import { migrations } from "../migrations";
import { provisionUser, type Provisioned, type ProvisionRequest } from "../src/accounts/account-provisioning";
import { normalizeEmail } from "../src/accounts/credentials";
import { ConfigError, loadConfig } from "../src/config";
import { startDatabase } from "../src/db/database";
import { InvalidInput } from "../src/domain/errors";
import { isRole, ROLES } from "../src/domain/role";
import { isOperatorError } from "../src/startup-errors";
import { silentLogger } from "../src/logging/logger";
import { RedisSessionEventBus } from "../src/realtime/redis-session-event-bus";
import type { SessionEventBus } from "../src/sessions/session-event-bus";
import { announceNowhere, announceTo, UnitOfWork } from "../src/sessions/unit-of-work";
import { undeliveredHoldMs } from "../src/sessions/revocation/revocation-gate";

const USAGE = `Creates a user, or changes one: only what you give is changed.
usage: npm run user:create -- --email <email> [--password <password> | --password-stdin] [--role USER|ADMIN]
  --email           the account (created when it does not exist; then a password is needed)
  --password        the password; on an existing account it replaces the old one and ends all its sessions
  --password-stdin  read the password from standard input (keeps it out of the process list)
  --role            USER or ADMIN; without it a new account is a USER and an existing one keeps its role
  --admin           the same as --role ADMIN
  --help            this text
Uses DATABASE_URL when set, otherwise the embedded database in DATA_DIR (./data); stop a
service that uses the same embedded database first. With REDIS_URL, running instances are told
at once (sessions ended, role changed); otherwise they read it from the database within
SESSION_SWEEP_INTERVAL_MS.`;

interface Options {
  email: string;
  password?: string;
  passwordFromStdin: boolean;
  role?: ProvisionRequest["role"];
  help: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { email: "", passwordFromStdin: false, help: false };
  const value = (i: number, flag: string) => {
    if (argv[i] === undefined || argv[i].startsWith("--")) throw new ConfigError(`${flag} needs a value`);
    return argv[i];
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") options.help = true;
    else if (arg === "--email") options.email = value(++i, arg);
    else if (arg === "--password") options.password = value(++i, arg);
    else if (arg === "--password-stdin") options.passwordFromStdin = true;
    else if (arg === "--admin") options.role = "ADMIN";
    else if (arg === "--role") {
      const role = value(++i, arg).toUpperCase();
      if (!isRole(role)) throw new ConfigError(`--role must be one of ${ROLES.join(", ")}`);
      options.role = role;
    } else throw new ConfigError(`unknown argument ${arg}`);
  }
  if (options.help) return options;
  if (!options.email) throw new ConfigError("--email is required");
  if (options.password !== undefined && options.passwordFromStdin) throw new ConfigError("give --password or --password-stdin, not both");
  // Checked before the database is opened: a typo should not cost a database start.
  normalizeEmail(options.email);
  return options;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

function describe(result: Provisioned, previousRole: string | undefined): string {
  const { user } = result;
  const account = `${user.email} (${user.role}, id ${user.id})`;
  if (result.created) return `created ${account}`;
  const changes = [
    ...(result.roleChanged ? [`role ${previousRole} -> ${user.role}`] : []),
    ...(result.passwordReplaced ? [`password replaced, ${result.ended.length} session(s) ended`] : []),
  ];
  return changes.length ? `updated ${account}: ${changes.join("; ")}` : `nothing to change for ${account}`;
}

/**
 * The bus to running instances, so that endings are pushed and a role change taken up now, not
 * at their next read of the log; null (with a warning) when Redis cannot be reached.
 */
async function busToRunningInstances(redisUrl: string): Promise<SessionEventBus | null> {
  try {
    return await RedisSessionEventBus.connect(redisUrl, silentLogger);
  } catch (error) {
    console.error(`warning: running instances will not be told (${(error as Error).message}); they read it from the database within SESSION_SWEEP_INTERVAL_MS`);
    return null;
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const password = options.passwordFromStdin ? await readStdin() : options.password;
  const config = loadConfig();
  const database = await startDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, migrations });
  const bus = config.redisUrl ? await busToRunningInstances(config.redisUrl) : null;
  try {
    const transactions = new UnitOfWork(database.dataSource, bus ? announceTo(null, bus, silentLogger, undeliveredHoldMs(config.sweepIntervalMs)) : announceNowhere);
    const result = await provisionUser(transactions, options.email, { password, role: options.role });
    const previousRole = result.roleChanged ? (result.user.role === "ADMIN" ? "USER" : "ADMIN") : undefined;
    console.log(describe(result, previousRole));
  } finally {
    await bus?.close();
    await database.stop();
  }
}

main().catch((error) => {
  // One line for anything the person running it can fix; a stack only for a bug.
  if (error instanceof InvalidInput || error instanceof ConfigError) {
    console.error(`error: ${error.message} (npm run user:create -- --help)`);
    process.exit(2);
  }
  console.error(isOperatorError(error) ? `error: ${error.message}` : error);
  process.exit(1);
});
