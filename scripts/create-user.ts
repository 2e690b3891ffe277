import "reflect-metadata";
import { migrations } from "../migrations";
import { createOrSetRole } from "../src/accounts/account-provisioning";
import { normalizeEmail } from "../src/accounts/credentials";
import { ConfigError, loadConfig } from "../src/config";
import { startDatabase } from "../src/db/database";
import { InvalidInput } from "../src/domain/errors";
import { isOperatorError } from "../src/startup-errors";

const USAGE = `Creates a user, or sets the role of an existing one.
usage: npm run user:create -- --email <email> [--password <password> | --password-stdin] [--admin]
  --admin           the account is (or becomes) an ADMIN; without it, a USER
  --password-stdin  read the password from standard input (keeps it out of the process list)
Uses DATABASE_URL when set, otherwise the embedded database in DATA_DIR (./data); stop a
service that uses the same embedded database first.`;

interface Options {
  email: string;
  password?: string;
  passwordFromStdin: boolean;
  admin: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { email: "", passwordFromStdin: false, admin: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--email") options.email = argv[++i] ?? "";
    else if (arg === "--password") options.password = argv[++i];
    else if (arg === "--password-stdin") options.passwordFromStdin = true;
    else if (arg === "--admin") options.admin = true;
    else throw new ConfigError(`unknown argument ${arg}`);
  }
  if (!options.email) throw new ConfigError("--email is required");
  // Checked before the database is opened: a typo should not cost a database start.
  normalizeEmail(options.email);
  return options;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const password = options.passwordFromStdin ? await readStdin() : options.password;
  const config = loadConfig();
  const database = await startDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, migrations });
  try {
    const role = options.admin ? "ADMIN" : "USER";
    const { user, created } = await createOrSetRole(database.dataSource.manager, options.email, password, role);
    console.log(`${created ? "created" : "updated"} ${user.email} (${user.role}, id ${user.id})`);
  } finally {
    await database.stop();
  }
}

main().catch((error) => {
  if (error instanceof InvalidInput || error instanceof ConfigError) {
    console.error(`error: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(isOperatorError(error) ? `error: ${error.message}` : error);
  process.exit(1);
});
