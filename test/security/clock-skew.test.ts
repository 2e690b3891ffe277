import path from "node:path";
import { LoginDocument, MeDocument, RefreshSessionDocument } from "../../web/src/gql/graphql";
import { PASSWORD, signUp } from "../helpers/accounts";
import { forge as tokenWith, nowSeconds, TEST_SECRET as SECRET } from "../helpers/forged-tokens";
import { codeOf, dataOf, request } from "../helpers/graphql-client";
import { startServiceProcess, type ServiceProcess } from "../../support/service-process";
import { useTestServer } from "../helpers/test-server";

// Instances on one PostgreSQL whose hosts' clocks disagree by ±90 s: the embedded database
// belongs to one process, so this runs in CI's PostgreSQL pass.
const describeShared = process.env.DATABASE_URL ? describe : describe.skip;

const TOLERANCE_SECONDS = 30;
const SKEWS_MS = [90_000, -90_000];

describeShared("[plan 9] instances with skewed clocks decide expiry alike", () => {
  const env = { JWT_SECRET: SECRET, CLOCK_TOLERANCE_SECONDS: String(TOLERANCE_SECONDS) };
  const local = useTestServer(env);
  const skewed: ServiceProcess[] = [];
  beforeAll(async () => {
    for (const shift of SKEWS_MS) {
      skewed.push(
        await startServiceProcess({
          ...env,
          DATABASE_URL: process.env.DATABASE_URL,
          DATA_DIR: path.join(local.dataDir, `skewed${shift}`),
          NODE_OPTIONS: `--require ${path.join(__dirname, "..", "helpers", "skewed-clock.js")}`,
          SKEWED_CLOCK_MS: String(shift),
        }),
      );
    }
  });
  afterAll(async () => {
    for (const service of skewed) {
      service.child.kill("SIGTERM");
      await service.exited;
    }
  });
  const urls = () => [local.graphqlUrl, ...skewed.map((s) => `${s.url}/graphql`)];

  test("[plan 9] exp and iat are judged by the shared clock within CLOCK_TOLERANCE_SECONDS, on every instance", async () => {
    const signed = await signUp(local);
    // Two seconds from each edge: the time the requests themselves take.
    const accepted = [tokenWith(signed, { exp: nowSeconds() - (TOLERANCE_SECONDS - 2) }), tokenWith(signed, { iat: nowSeconds() + 20 })];
    const refused = [tokenWith(signed, { exp: nowSeconds() - (TOLERANCE_SECONDS + 2) }), tokenWith(signed, { iat: nowSeconds() + TOLERANCE_SECONDS + 10 })];
    for (const url of urls()) {
      for (const token of accepted) expect(dataOf(await request(url, MeDocument, {}, { token })).me.id).toBe(signed.user.id);
      for (const token of refused) expect(codeOf(await request(url, MeDocument, {}, { token }))).toBe("UNAUTHENTICATED");
    }
  });

  test("[plan 9] a token a skewed instance issues carries the shared time and works everywhere", async () => {
    const signed = await signUp(local);
    for (const service of skewed) {
      const issued = dataOf(await request(`${service.url}/graphql`, LoginDocument, { email: signed.user.email, password: PASSWORD })).login;
      expect(Math.abs(Date.parse(issued.accessTokenExpiresAt) - (Date.now() + 3600_000))).toBeLessThan(5000);
      for (const url of urls()) expect(dataOf(await request(url, MeDocument, {}, { token: issued.accessToken })).me.id).toBe(signed.user.id);
    }
  });

  test("[plan 9] refresh-token expiry is the database's decision: a minute left is a minute left everywhere", async () => {
    for (const url of urls()) {
      const signed = await signUp(local);
      await local.db.query("UPDATE sessions SET expires_at = now() + interval '60 seconds' WHERE id = $1", [signed.session.id]);
      dataOf(await request(url, RefreshSessionDocument, { refreshToken: signed.refreshToken }));
      const expired = await signUp(local);
      await local.db.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1", [expired.session.id]);
      expect(codeOf(await request(url, RefreshSessionDocument, { refreshToken: expired.refreshToken }))).toBe("UNAUTHENTICATED");
    }
  });
});
