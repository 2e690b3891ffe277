/** The last `capacity` ids added, in insertion order; the oldest are forgotten first. */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Whether the id is new (and now remembered). */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }

  /** Whether the id was remembered; it is forgotten either way. */
  take(id: string): boolean {
    return this.ids.delete(id);
  }
}
