import { LogoutDocument } from "../../web/src/gql/graphql";
import { login, PASSWORD, signUp, uniqueEmail } from "../helpers/accounts";
import { dataOf, request } from "../helpers/graphql-client";
import { useTestServer } from "../helpers/test-server";
import { registerReceiver } from "../helpers/ssf";

// Every login and ending queues its security events for the streams that exist at that moment,
// from the database's own triggers. A stream deleted while such a transaction runs (a receiver
// deleting its stream, an administrator deleting the receiver) once made the queueing break its
// foreign key, and the login or logout failed with an internal error.
describe("a stream deleted while sessions start and end", () => {
  const adminEmail = uniqueEmail("admin");
  const server = useTestServer({ ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: PASSWORD });

  test("no login or logout fails because of it", async () => {
    const admin = await login(server, adminEmail);
    const receiver = await registerReceiver(server, admin.accessToken, "churned");
    let streams = 0;
    let sessions = 0;
    // Both sides run until each has done enough, however slow the machine (the embedded database
    // runs one statement at a time).
    const deadline = Date.now() + 60_000;
    const running = () => (streams < 100 || sessions < 20) && Date.now() < deadline;
    // Streams come and go as fast as the database allows, behind the service's back, so that
    // nearly every session's transaction overlaps a delete.
    const churn = (async () => {
      while (running()) {
        const [{ id }] = await server.db.query(
          `INSERT INTO signal_streams (receiver_id, issuer, delivery, events_requested, events_delivered)
           VALUES ($1, 'http://churn.example', 'poll', $2, $2) RETURNING id`,
          [receiver.id, ["session-established", "session-revoked"]],
        );
        await server.db.query(`DELETE FROM signal_streams WHERE id = $1`, [id]);
        streams++;
      }
    })();
    const devices = Array.from({ length: 4 }, async () => {
      while (running()) {
        const signed = await signUp(server);
        dataOf(await request(server.graphqlUrl, LogoutDocument, {}, { token: signed.accessToken }));
        sessions++;
      }
    });
    await Promise.all([churn, ...devices]);
    // Not vacuous: both sides really ran, side by side.
    expect(streams).toBeGreaterThanOrEqual(100);
    expect(sessions).toBeGreaterThanOrEqual(20);
  }, 90_000);
});
