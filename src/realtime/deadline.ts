/**
 * Whether the promise settled successfully within `ms`: how the buses tell a hung peer from a
 * slow answer. An answer that arrived while this process was busy (a long synchronous pass, such
 * as telling ten thousand sockets of a logout) still counts: the deadline, once due, waits one
 * turn of the event loop, whose poll phase reads what the socket holds before it is settled.
 */
export async function withDeadline(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => setImmediate(() => resolve(false)), ms)));
  const settled = promise.then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([settled, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
