import net from "node:net";

/** The port is taken: an operator's mistake, reported in one line. */
export class PortInUse extends Error {
  constructor(port: number, host: string) {
    super(`port ${port} on ${host} is in use: stop whatever uses it, or set PORT`);
  }
}

/**
 * Fails fast when the port is taken, before seconds of database start-up, a data folder and a
 * lock are spent on a start that cannot finish. Listening later still reports a port lost
 * in between the same way.
 */
export async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new PortInUse(port, host) : error),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
