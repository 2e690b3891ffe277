import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The Shared Signals transmitter (OpenID SSF 1.0): receivers, their OAuth tokens, their streams
 * and an outbox of security events per stream.
 *
 * The outbox is filled by triggers, in the transaction of the act itself, so an event exists if
 * and only if its act committed, whoever made it (the service, the user:create command, psql):
 * - every ending, from the revocation log (which its own triggers fill for endings and deletions);
 * - every session opened;
 * - every password change or reset.
 * Each event gets one row per stream that wants it (not disabled, the event type delivered, the
 * user not removed from the stream); with no stream, a trigger costs one index probe.
 * A password set by an operator (user:create) says so with \`SET LOCAL signals.initiator = 'admin'\`.
 * Rows leave when delivered, acknowledged, refused with a 400 or past the retry window.
 */
export class Signals1765900800000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE signal_receivers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
        client_id text NOT NULL UNIQUE,
        secret_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE signal_tokens (
        token_hash text PRIMARY KEY,
        receiver_id uuid NOT NULL REFERENCES signal_receivers ON DELETE CASCADE,
        scopes text[] NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX signal_tokens_by_receiver ON signal_tokens (receiver_id)`);
    await db.query(`
      CREATE TABLE signal_streams (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        receiver_id uuid NOT NULL REFERENCES signal_receivers ON DELETE CASCADE,
        -- The iss its receiver was told at creation: every instance signs its events with it.
        issuer text NOT NULL,
        status text NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'paused', 'disabled')),
        status_reason text,
        delivery text NOT NULL CHECK (delivery IN ('push', 'poll')),
        endpoint_url text,
        authorization_header text,
        events_requested text[] NOT NULL,
        events_delivered text[] NOT NULL,
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_delivered_at timestamptz,
        last_error text,
        -- Push: not tried again before this (back-off after a failure).
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        -- Push: an instance delivering this stream holds it until then (SIGKILL frees it by time).
        leased_until timestamptz NOT NULL DEFAULT '-infinity',
        CHECK ((delivery = 'push') = (endpoint_url IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX signal_streams_by_receiver ON signal_streams (receiver_id)`);
    await db.query(`
      CREATE TABLE signal_stream_exclusions (
        stream_id uuid NOT NULL REFERENCES signal_streams ON DELETE CASCADE,
        user_id uuid NOT NULL,
        PRIMARY KEY (stream_id, user_id)
      )`);
    await db.query(`
      CREATE TABLE signal_outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        stream_id uuid NOT NULL REFERENCES signal_streams ON DELETE CASCADE,
        jti uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
        txn text NOT NULL,
        event_type text NOT NULL,
        user_id uuid,
        session_id uuid,
        facts jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        attempts integer NOT NULL DEFAULT 0,
        -- The key that signed it last: kept in the JWKS while the row waits.
        kid text
      )`);
    await db.query(`CREATE INDEX signal_outbox_by_stream ON signal_outbox (stream_id, id)`);
    // What waited past SIGNALS_RETRY_HOURS is found by age.
    await db.query(`CREATE INDEX signal_outbox_by_age ON signal_outbox (created_at)`);
    // The JWKS keeps a rotated key while events it signed wait for acknowledgement.
    await db.query(`CREATE INDEX signal_outbox_by_key ON signal_outbox (kid) WHERE kid IS NOT NULL`);
    await db.query(`
      CREATE TABLE signal_keys (
        kid text PRIMARY KEY,
        public_jwk jsonb NOT NULL,
        last_used_at timestamptz NOT NULL DEFAULT now()
      )`);

    // One txn per database transaction: the SETs of one act (a password change and the endings it
    // made, an administrator's logout of 1,000 sessions) share it, as RFC 8417 §2.2 means it.
    await db.query(`
      CREATE FUNCTION signal_txn() RETURNS text LANGUAGE plpgsql AS $$
      DECLARE
        current text := current_setting('signals.txn', true);
      BEGIN
        IF current IS NULL OR current = '' THEN
          current := set_config('signals.txn', gen_random_uuid()::text, true);
        END IF;
        RETURN current;
      END $$`);
    await db.query(`
      CREATE FUNCTION signal_enqueue(kind text, subject uuid, session uuid, facts jsonb) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO signal_outbox (stream_id, txn, event_type, user_id, session_id, facts)
        SELECT s.id, signal_txn(), kind, subject, session, facts
          FROM signal_streams s
         WHERE s.status <> 'disabled' AND kind = ANY (s.events_delivered)
           AND NOT EXISTS (SELECT 1 FROM signal_stream_exclusions x WHERE x.stream_id = s.id AND x.user_id = subject);
      END $$`);
    await db.query(`
      CREATE FUNCTION signal_session_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM signal_enqueue('session-revoked', NEW.user_id, NEW.session_id,
          jsonb_build_object('reason', NEW.reason, 'endedAt', NEW.ended_at, 'endedBy', NEW.ended_by));
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER revocation_log_signal AFTER INSERT ON revocation_log
        FOR EACH ROW WHEN (NEW.session_id IS NOT NULL)
        EXECUTE FUNCTION signal_session_revoked()`);
    await db.query(`
      CREATE FUNCTION signal_session_established() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM signal_enqueue('session-established', NEW.user_id, NEW.id,
          jsonb_build_object('at', NEW.created_at, 'ip', NEW.ip_address, 'userAgent', NEW.user_agent, 'signals', to_jsonb(NEW.signals)));
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER sessions_signal_established AFTER INSERT ON sessions
        FOR EACH ROW EXECUTE FUNCTION signal_session_established()`);
    await db.query(`
      CREATE FUNCTION signal_credential_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM signal_enqueue('credential-change', NEW.id, NULL, jsonb_build_object('at', clock_timestamp(),
          'initiator', coalesce(nullif(current_setting('signals.initiator', true), ''), 'user')));
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER users_signal_credential_change AFTER UPDATE OF password_hash ON users
        FOR EACH ROW WHEN (OLD.password_hash IS DISTINCT FROM NEW.password_hash)
        EXECUTE FUNCTION signal_credential_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER users_signal_credential_change ON users`);
    await db.query(`DROP TRIGGER sessions_signal_established ON sessions`);
    await db.query(`DROP TRIGGER revocation_log_signal ON revocation_log`);
    await db.query(`DROP FUNCTION signal_credential_change(), signal_session_established(), signal_session_revoked(), signal_enqueue(text, uuid, uuid, jsonb), signal_txn()`);
    await db.query(`DROP TABLE signal_keys, signal_outbox, signal_stream_exclusions, signal_streams, signal_tokens, signal_receivers`);
  }
}
