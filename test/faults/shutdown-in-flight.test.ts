import { startServiceProcess } from "../../support/service-process";
import { login, PASSWORD, signUp } from "../helpers/accounts";
import { seededDataDir, serverAt } from "../helpers/test-server";
import { WsTestClient } from "../helpers/ws-client";

// docs/api.md, Change 7: on SIGTERM the sockets close with 1012, but only once the queries and
// mutations running on them have been answered: a mutation that committed is told to its client.
const CHANGE_PASSWORD = "mutation ($currentPassword: String!, $newPassword: String!) { changePassword(currentPassword: $currentPassword, newPassword: $newPassword) }";
const NEW_PASSWORD = "another correct horse battery";

test("a mutation running on a socket at SIGTERM is answered before the 1012 close", async () => {
  const env = { DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: await seededDataDir() };
  let service = await startServiceProcess(env);
  try {
    const server = serverAt(service.url);
    const user = await signUp(server);
    const socket = new WsTestClient(server.wsUrl);
    await socket.init({ authorization: `Bearer ${user.accessToken}` });
    // Two password hashes' work: still running when the signal arrives a moment later.
    socket.subscribe("change", CHANGE_PASSWORD, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    await new Promise((resolve) => setTimeout(resolve, 10));
    service.child.kill("SIGTERM");
    const close = await socket.closed;
    expect(close.code).toBe(1012);
    expect(socket.messages.filter((m) => m.id === "change").map((m) => m.type)).toEqual(["next", "complete"]);
    expect(socket.messages.find((m) => m.id === "change")?.payload).toEqual({ data: { changePassword: 0 } });
    expect(await service.exited).toBe(0);

    // What it was told holds: the new password is the one that works.
    service = await startServiceProcess(env);
    expect((await login(serverAt(service.url), user.user.email, undefined, NEW_PASSWORD)).user.id).toBe(user.user.id);
  } finally {
    service.child.kill("SIGKILL");
  }
});
