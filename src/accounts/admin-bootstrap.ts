import type { Logger } from "../logging/logger";
import type { AccountService } from "./account-service";

/**
 * The administrator named by ADMIN_EMAIL and ADMIN_PASSWORD, created at start when no account
 * has the address, and what the operator is told when one does.
 */
export async function bootstrapAdmin(accounts: AccountService, email: string, password: string, logger: Logger): Promise<void> {
  const outcome = await accounts.ensureAdmin(email, password);
  if (outcome === "created") logger.info({ email }, "created administrator");
  if (outcome === "exists-as-user") {
    // Promoting the account as it is would make whoever registered the address first an
    // administrator, with their password and their sessions: the command named replaces the
    // password (ending every session of the account) in the same step as the promotion.
    logger.warn(
      { email, command: `npm run user:create -- --email ${email} --password-stdin --role ADMIN` },
      "ADMIN_EMAIL names an existing USER account, which is not promoted: whoever registered the address may not be you. To make it yours, run the command with a new password on standard input: it replaces the password, ends the account's sessions and promotes it",
    );
  }
  if (outcome === "look-alike") {
    logger.warn({ email }, "ADMIN_EMAIL looks the same as an existing account's address (the same letters in another form), so no administrator was created: choose another address");
  }
}
