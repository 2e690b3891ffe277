import { WebSocket } from "ws";

/** Options that let the bench read a service's heap: its inspector on a free loopback port. */
export const INSPECTABLE = { NODE_OPTIONS: "--inspect=127.0.0.1:0" };

/** What a forced full collection leaves: the JavaScript heap in use and the memory outside it that objects hold (buffers). */
export interface HeapAfterGc {
  heapUsed: number;
  external: number;
}

/** A connection to the service's inspector (Chrome DevTools Protocol). */
export interface Inspector {
  call(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): void;
}

export async function inspect(serviceOutput: string): Promise<Inspector> {
  const url = /Debugger listening on (ws:\/\/\S+)/.exec(serviceOutput)?.[1];
  if (!url) throw new Error("the service was not started with its inspector (INSPECTABLE)");
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  let nextId = 0;
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = ++nextId;
      const onMessage = (raw: Buffer) => {
        const message = JSON.parse(raw.toString()) as { id?: number; result?: Record<string, unknown>; error?: unknown };
        if (message.id !== id) return;
        socket.off("message", onMessage);
        if (message.error) reject(new Error(JSON.stringify(message.error)));
        else resolve(message.result ?? {});
      };
      socket.on("message", onMessage);
      socket.send(JSON.stringify({ id, method, params }));
    });
  return { call, close: () => socket.close() };
}

/**
 * The service's memory after a full garbage collection, read through its inspector
 * (HeapProfiler.collectGarbage, then process.memoryUsage()): what objects still hold, not what
 * the process once took from the OS as RSS does.
 */
export async function heapAfterGc(serviceOutput: string): Promise<HeapAfterGc> {
  const { call, close } = await inspect(serviceOutput);
  try {
    // Twice: what the first collection frees can hold more that only the second finds.
    await call("HeapProfiler.collectGarbage");
    await call("HeapProfiler.collectGarbage");
    const { result } = (await call("Runtime.evaluate", { expression: "JSON.stringify(process.memoryUsage())", returnByValue: true })) as { result: { value: string } };
    const usage = JSON.parse(result.value) as { heapUsed: number; external: number };
    return { heapUsed: usage.heapUsed, external: usage.external };
  } finally {
    close();
  }
}
