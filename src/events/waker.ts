/**
 * The pause of a polling loop that a wake-up ends early. A wake-up that comes while the loop is
 * working (not pausing) is kept, so the next pause returns at once: call `reset()` just before
 * looking for work, so that only wake-ups after that look count. A pause always yields to the event
 * loop, even when it returns at once, so a loop can never starve the I/O it is waiting for.
 */
export class Waker {
  private pending = false;
  private endPause?: () => void;

  wake(): void {
    this.pending = true;
    this.endPause?.();
  }

  reset(): void {
    this.pending = false;
  }

  pause(ms: number): Promise<void> {
    if (this.pending || ms <= 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.endPause = undefined;
        resolve();
      };
      // A polling loop's pause never keeps the process alive by itself (a test runner's worker, a CLI).
      const timer = setTimeout(done, ms).unref();
      this.endPause = done;
    });
  }
}
