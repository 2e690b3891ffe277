import net from "node:net";
import { performance } from "node:perf_hooks";
import { LoginDocument, MeDocument } from "../../web/src/gql/graphql";
import { PASSWORD, signUp } from "../helpers/accounts";
import { codeOf, dataOf, request } from "../helpers/graphql-client";
import { CLUSTER_START_TIMEOUT_MS, PrivatePostgres } from "../helpers/private-postgres";
import { useTestServer } from "../helpers/test-server";
import { WsTestClient } from "../helpers/ws-client";
import { sleep, until } from "../helpers/time";

/** A TCP hop between the service and PostgreSQL that the test can cut, hang and mend. */
class Cable {
  private readonly sockets = new Set<net.Socket>();
  private cut = false;
  private hung = false;
  /** Connections that arrived while hung: accepted, never answered, joined up on mend. */
  private readonly waiting: net.Socket[] = [];
  readonly server: net.Server;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      if (this.cut) return client.destroy();
      client.on("error", () => undefined);
      if (this.hung) return void this.waiting.push(client);
      this.join(client);
    });
  }

  private join(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
      s.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
  }

  /** Connections stay open and nothing comes back, as from a PostgreSQL that is paused or swapping. */
  hang(): void {
    this.hung = true;
    for (const s of this.sockets) s.pause();
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  sever(): void {
    this.cut = true;
    for (const s of this.sockets) s.destroy();
  }

  mend(): void {
    this.cut = false;
    this.hung = false;
    for (const s of this.sockets) s.resume();
    for (const client of this.waiting.splice(0)) this.join(client);
  }

  close(): Promise<void> {
    this.sever();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

// A network partition: the service reaches a PostgreSQL of this file's own through a cable the test cuts.
describe("[plan 47] when the database becomes unreachable", () => {
  let postgres: PrivatePostgres;
  let cable: Cable;
  let databaseUrl: string;
  beforeAll(async () => {
    postgres = await PrivatePostgres.start();
    const url = new URL(postgres.url);
    cable = new Cable({ host: url.hostname, port: Number(url.port) });
    url.port = String(await cable.listen());
    databaseUrl = url.toString();
  }, CLUSTER_START_TIMEOUT_MS);
  // Read when the server starts, after the cable listens: the server reaches PostgreSQL only through it.
  const server = useTestServer({
    DATABASE_QUERY_TIMEOUT_MS: "1500",
    get DATABASE_URL() {
      return databaseUrl;
    },
  });
  // Declared after the server, so it runs once the server has stopped.
  afterAll(async () => {
    cable.mend();
    await cable.close();
    await postgres.destroy();
  });

  test("[plan 47] cut off: requests fail closed and retryable, never as UNAUTHENTICATED, and recover without a restart", async () => {
    const user = await signUp(server);
    cable.sever();

    const me = await request(server.graphqlUrl, MeDocument, {}, { token: user.accessToken });
    expect(codeOf(me)).toBe("INTERNAL_SERVER_ERROR");
    expect(me.errors?.[0].extensions?.retryable).toBe(true);
    expect(JSON.stringify(me)).not.toMatch(/ECONNRESET|ECONNREFUSED|Connection terminated|at .*\.js/);
    const loginDuringOutage = await request(server.graphqlUrl, LoginDocument, { email: user.user.email, password: PASSWORD });
    expect(codeOf(loginDuringOutage)).toBe("INTERNAL_SERVER_ERROR");
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(503);

    // A socket cannot be authenticated now: refused with 1013, which clients retry (not 4403,
    // which tells them to give up, nor an internal error close), and not left behind in the
    // server's registry of open connections.
    const connectionsBefore = server.services.connections.connectionCount;
    const socket = new WsTestClient(server.wsUrl);
    await expect(socket.init({ authorization: `Bearer ${user.accessToken}` })).rejects.toMatchObject({ code: 1013 });
    expect(server.services.connections.connectionCount).toBe(connectionsBefore);

    cable.mend();
    let recovered = false;
    for (let attempt = 0; attempt < 250 && !recovered; attempt++) {
      recovered = (await request(server.graphqlUrl, MeDocument, {}, { token: user.accessToken })).data?.me !== undefined;
      if (!recovered) await sleep(20);
    }
    expect(recovered).toBe(true);
    dataOf(await request(server.graphqlUrl, LoginDocument, { email: user.user.email, password: PASSWORD }));
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
  });

  test("hung (connections open, nothing answered): every request is answered within the statement timeout, retryable, and all recovers", async () => {
    const user = await signUp(server);
    cable.hang();
    try {
      const started = performance.now();
      const [me, loginDuringHang, health] = await Promise.all([
        request(server.graphqlUrl, MeDocument, {}, { token: user.accessToken }),
        request(server.graphqlUrl, LoginDocument, { email: user.user.email, password: PASSWORD }),
        fetch(`http://127.0.0.1:${server.port}/healthz`),
      ]);
      // DATABASE_QUERY_TIMEOUT_MS=1500, plus a connect timeout for a new pool connection at worst.
      expect(performance.now() - started).toBeLessThan(8000);
      for (const answer of [me, loginDuringHang]) {
        expect(codeOf(answer)).toBe("INTERNAL_SERVER_ERROR");
        expect(answer.errors?.[0].extensions?.retryable).toBe(true);
      }
      expect(health.status).toBe(503);
    } finally {
      cable.mend();
    }
    await until(async () => (await request(server.graphqlUrl, MeDocument, {}, { token: user.accessToken })).data?.me !== undefined, 15_000);
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
  });
});
