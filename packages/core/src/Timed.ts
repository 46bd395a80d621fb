/** Something that changes at an instant without any event: a window edge, a hold's end, the hour. */
export interface Timed {
  /** Position in the heap, -1 when not scheduled. Maintained by the heap. */
  hi: number;
  /** Called at its instant (the engine's clock is already there). */
  fire(now: number): void;
}
