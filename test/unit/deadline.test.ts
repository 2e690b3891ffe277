import { once } from "node:events";
import { createServer, connect, type AddressInfo, type Socket } from "node:net";
import { withDeadline } from "../../src/realtime/deadline";

/** Holds the event loop, as telling ten thousand sockets of a logout does. */
function busyFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe("withDeadline", () => {
  test("an answer that arrived while the process was busy past the deadline still counts", async () => {
    const server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const accepted = once(server, "connection");
    const client = connect((server.address() as AddressInfo).port, "127.0.0.1");
    const [peer] = (await accepted) as [Socket];
    for (const socket of [client, peer]) socket.on("error", () => undefined);
    try {
      const answer = once(client, "data");
      // The peer answers at once; this process only reads it once its busy pass is over.
      peer.write("pong");
      const answered = withDeadline(answer, 20);
      busyFor(200);
      expect(await answered).toBe(true);
    } finally {
      client.destroy();
      peer.destroy();
      server.close();
    }
  });

  test("no answer, or a failure, is false once the deadline is due", async () => {
    expect(await withDeadline(new Promise(() => undefined), 20)).toBe(false);
    expect(await withDeadline(Promise.reject(new Error("refused")), 20)).toBe(false);
    expect(await withDeadline(Promise.resolve("ok"), 20)).toBe(true);
  });
});
