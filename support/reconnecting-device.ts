import { createClient, type Client } from "graphql-ws";
import { WebSocket } from "ws";

export interface ReconnectingDevice {
  client: Client;
  /** How many times it has been acknowledged (1 after the first connect). */
  connections: number;
  /** Whether its socket is open and acknowledged now. */
  connected: boolean;
  closes: number[];
  /** The reasons of the sessionRevoked events it received. */
  revoked: string[];
  stop(): Promise<void>;
}

/**
 * A device as an app written to graphql-ws's docs would have it: `retryAttempts: Infinity` and
 * `shouldRetry: () => true`, subscribed to sessionRevoked. `origin` makes it look like the page
 * in a browser (which always sends one).
 */
export function reconnectingDevice(url: string, accessToken: string, origin?: string): ReconnectingDevice {
  let stopped = false;
  let gaveUp!: () => void;
  const done = new Promise<void>((resolve) => (gaveUp = resolve));
  const webSocketImpl = origin
    ? class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { origin } });
        }
      }
    : WebSocket;
  const client = createClient({
    url,
    webSocketImpl,
    connectionParams: { authorization: `Bearer ${accessToken}` },
    retryAttempts: Infinity,
    // Stopped through its own shouldRetry: disposing it mid-connect rejects with the close.
    shouldRetry: () => !stopped,
    on: {
      connected: () => {
        device.connections++;
        device.connected = true;
      },
      closed: (event) => {
        device.connected = false;
        device.closes.push((event as { code: number }).code);
      },
    },
  });
  const device: ReconnectingDevice = {
    client,
    connections: 0,
    connected: false,
    closes: [],
    revoked: [],
    stop: async () => {
      stopped = true;
      client.terminate();
      await done;
      await client.dispose();
    },
  };
  client.subscribe<{ sessionRevoked: { reason: string } }>(
    { query: "subscription { sessionRevoked { reason } }" },
    { next: (result) => result.data && device.revoked.push(result.data.sessionRevoked.reason), error: gaveUp, complete: gaveUp },
  );
  return device;
}
