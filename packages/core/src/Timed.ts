/** Something that changes at an instant without any event: a window edge, a hold's end, the hour. */
export interface Timed {
  /** The instant it is due, or Infinity. Maintained by the heap. */
  at: number;
  /** Position in the heap, -1 when not scheduled. */
  hi: number;
  /** Called at its instant (the engine's clock is already there). */
  fire(now: number): void;
}
