import { systemClock, type Clock } from '../../src/clock';

/** The system clock, moved forward on demand: a schedule due in an hour is due after `advance(3_600_000)`. */
export interface MovableClock extends Clock {
  advance(ms: number): void;
}

export function movableClock(): MovableClock {
  let offset = 0;
  return {
    now: () => systemClock.now() + offset,
    // Timers keep real time: the runner's longest sleep is a second, after which it reads the moved clock.
    setTimeout: systemClock.setTimeout,
    clearTimeout: systemClock.clearTimeout,
    advance(ms) {
      offset += ms;
    },
  };
}
