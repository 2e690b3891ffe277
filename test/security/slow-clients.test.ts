import net from "node:net";
import { performance } from "node:perf_hooks";
import { signUp } from "../helpers/accounts";
import { expectActive } from "../helpers/checks";
import { useTestServer } from "../helpers/test-server";
import { sleep } from "../helpers/time";

/** A raw connection to the server; resolves with how long until the server closed it (or null if it stayed open for `waitMs`). */
function heldFor(port: number, send: (socket: net.Socket) => void, waitMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect(port, "127.0.0.1", () => send(socket));
    socket.on("error", () => undefined);
    // Read what the server says (a 408), or the close would wait for it to be read.
    socket.resume();
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(performance.now() - started);
    });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(null);
    }, waitMs);
  });
}

// Node holds a trickling request for 60 s (headers) and 300 s (body) by default: a few hundred
// slow clients would hold every socket of the instance.
describe("slow and greedy HTTP clients", () => {
  const server = useTestServer({ HTTP_MAX_CONNECTIONS_PER_IP: "20" });

  test("headers that trickle in are cut after about 5 s", async () => {
    const closedAfter = await heldFor(server.port, (socket) => socket.write("POST /graphql HTTP/1.1\r\nHost: x\r\n"), 15_000);
    expect(closedAfter).not.toBeNull();
    expect(closedAfter!).toBeLessThan(8_000);
  });

  test("a body that trickles in is cut after about 10 s, and the server answers others meanwhile", async () => {
    const slow = heldFor(
      server.port,
      (socket) => {
        socket.write("POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{");
        const drip = setInterval(() => (socket.writable ? socket.write(" ") : clearInterval(drip)), 500);
        socket.on("close", () => clearInterval(drip));
      },
      30_000,
    );
    const user = await signUp(server);
    await expectActive(server, user.accessToken);
    const closedAfter = await slow;
    expect(closedAfter).not.toBeNull();
    expect(closedAfter!).toBeLessThan(13_000);
  });

  test("an address holds at most HTTP_MAX_CONNECTIONS_PER_IP connections; the next is closed at once, and places come back", async () => {
    const held = await Promise.all(
      Array.from({ length: 20 }, () => new Promise<net.Socket>((resolve) => {
        const socket = net.connect(server.port, "127.0.0.1", () => resolve(socket));
        socket.on("error", () => undefined);
      })),
    );
    const refusedAfter = await heldFor(server.port, () => undefined, 2000);
    expect(refusedAfter).not.toBeNull();
    expect(refusedAfter!).toBeLessThan(1000);
    for (const socket of held) socket.destroy();
    // The server frees the places as it sees the closes, a moment after the client.
    await sleep(300);
    const user = await signUp(server);
    await expectActive(server, user.accessToken);
  });
});
