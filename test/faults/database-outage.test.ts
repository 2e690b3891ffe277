import net from "node:net";
import { CloseCode } from "graphql-ws";
import { LoginDocument, MeDocument } from "../generated/graphql";
import { PASSWORD, signUp } from "../helpers/accounts";
import { codeOf, dataOf, request } from "../helpers/graphql-client";
import { PrivatePostgres } from "../helpers/private-postgres";
import { useTestServer } from "../helpers/test-server";
import { WsTestClient } from "../helpers/ws-client";
import { sleep } from "../helpers/time";

/** A TCP hop between the service and PostgreSQL that the test can cut and mend. */
class Cable {
  private readonly sockets = new Set<net.Socket>();
  private cut = false;
  readonly server: net.Server;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      if (this.cut) return client.destroy();
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
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
  });
  // Read when the server starts, after the cable listens: the server reaches PostgreSQL only through it.
  const server = useTestServer({
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

    // A socket cannot be authenticated now: refused, but not with an internal error close,
    // and not left behind in the server's registry of open connections.
    const connectionsBefore = server.services.connections.connectionCount;
    const socket = new WsTestClient(server.wsUrl);
    await expect(socket.init({ authorization: `Bearer ${user.accessToken}` })).rejects.toMatchObject({ code: CloseCode.Forbidden });
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
});
