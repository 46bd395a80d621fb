/** Something that changes at an instant without any event: a window edge, a hold's end, the hour. */
export interface Timed {
  /** Position in the heap, -1 when not in it (a removed item leaves as it reaches the top). Maintained by the heap. */
  hi: number;
  /** The instant it is scheduled at (Infinity: not scheduled). Maintained by the heap. */
  at: number;
  /** Called at its instant (the engine's clock is already there). */
  fire(now: number): void;
}
