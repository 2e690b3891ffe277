import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * An ending or a login must not fail because an administrator deleted a receiver's stream at the
 * same moment. The queueing read streams from its statement's snapshot; a stream deleted after
 * that snapshot made the outbox insert break its foreign key, and the login, logout or password
 * change that fired the trigger failed with it. Locking the streams it queues for (FOR KEY SHARE,
 * which a concurrent update of a stream's status does not wait for) makes a concurrent delete
 * either wait for this commit or, if it committed first, drop the stream from the read.
 */
export class SignalEnqueueLocks1766073600000 implements MigrationInterface {
  name = "SignalEnqueueLocks1766073600000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION signal_enqueue(kind text, subject uuid, session uuid, facts jsonb) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO signal_outbox (stream_id, txn, event_type, user_id, session_id, facts)
        SELECT s.id, signal_txn(), kind, subject, session, facts
          FROM signal_streams s
         WHERE s.status <> 'disabled' AND kind = ANY (s.events_delivered)
           AND NOT EXISTS (SELECT 1 FROM signal_stream_exclusions x WHERE x.stream_id = s.id AND x.user_id = subject)
           FOR KEY SHARE OF s;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION signal_enqueue(kind text, subject uuid, session uuid, facts jsonb) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO signal_outbox (stream_id, txn, event_type, user_id, session_id, facts)
        SELECT s.id, signal_txn(), kind, subject, session, facts
          FROM signal_streams s
         WHERE s.status <> 'disabled' AND kind = ANY (s.events_delivered)
           AND NOT EXISTS (SELECT 1 FROM signal_stream_exclusions x WHERE x.stream_id = s.id AND x.user_id = subject);
      END $$`);
  }
}
