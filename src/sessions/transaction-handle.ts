import type { EntityManager } from "typeorm";

const handles = new WeakMap<object, EntityManager>();

/**
 * The ORM handle behind a SessionTransaction, for sessions/' own stores only (dependency-cruiser
 * keeps every other folder from importing this file): callers elsewhere get the transaction's
 * narrow `sql` and its named operations, never the handle.
 */
export function handleOf(transaction: object): EntityManager {
  const handle = handles.get(transaction);
  if (!handle) throw new Error("not a session transaction, or it has finished");
  return handle;
}

export function bindHandle(transaction: object, handle: EntityManager): void {
  handles.set(transaction, handle);
}

export function releaseHandle(transaction: object): void {
  handles.delete(transaction);
}
