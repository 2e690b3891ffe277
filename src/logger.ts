/** Where the service writes what operators need to see; errors keep their stack here, never in responses. */
export interface Logger {
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

export const consoleLogger: Logger = {
  info: (message) => console.log(`[session-service] ${message}`),
  error: (message, error) => console.error(`[session-service] ${message}`, error ?? ""),
};

export const silentLogger: Logger = { info: () => undefined, error: () => undefined };
