// Latest tells the answer to the newest call apart from older ones still arriving: a view that
// reloads on events (a sync pass, typing) must not show what an older, slower call read.
export class Latest {
  private n = 0

  /** next starts a call and returns whether it is still the newest when asked. */
  next(): () => boolean {
    const mine = ++this.n
    return () => mine === this.n
  }

  /** same returns whether no call has started since this moment, for work that continues the
   * newest call (a further page of its results) without replacing it. */
  same(): () => boolean {
    const now = this.n
    return () => now === this.n
  }
}
