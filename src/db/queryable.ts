/**
 * What a store needs to run its statements: the pool or one transaction's connection. Stores
 * that are called inside another folder's transaction take this, so no ORM handle crosses a folder.
 */
export interface Queryable {
  query(text: string, parameters?: unknown[]): Promise<any>;
}
