import { Waker } from './waker';

describe('Waker', () => {
  it('ends a pause early when woken', async () => {
    const waker = new Waker();
    const started = Date.now();
    setTimeout(() => waker.wake(), 20);
    await waker.pause(5000);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('keeps a wake-up that came while not pausing, until reset', async () => {
    const waker = new Waker();
    waker.wake();
    const started = Date.now();
    await waker.pause(5000);
    await waker.pause(5000);
    expect(Date.now() - started).toBeLessThan(1000);
    waker.reset();
    let ended = false;
    void waker.pause(50).then(() => (ended = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ended).toBe(false);
  });

  it('yields to the event loop even when it returns at once', async () => {
    const waker = new Waker();
    waker.wake();
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);
    // A loop of pauses that return at once must still let timers (and I/O) run.
    for (let n = 0; n < 1000 && !timerRan; n++) await waker.pause(0);
    expect(timerRan).toBe(true);
  });
});
