import { api, ApiError } from '$lib/api';
import { describeError } from '$lib/messages';
import { spokenDuration } from './duration';
import type { CurrentTimer, StartedTimer, StartTimerBody, TimeEntry, Timer } from '@atelier/contracts';

/**
 * The signed-in person's running timer, one for the whole app: the top bar shows it, and
 * every tab shows the same one. A tab that starts or stops it tells the others on a
 * BroadcastChannel (a `storage` event where there is none); they ask the server again, and
 * so does a tab coming back into view, so a timer started on another device shows up too.
 *
 * Elapsed time counts from the server's start instant: the server says how long the timer
 * has run (`elapsedSeconds`) and the tab adds what its own monotonic clock ran since then.
 * A wrong clock on this computer therefore cannot make the timer show the wrong time.
 */
const CHANNEL = 'atelier.timer';
const STORAGE_KEY = 'atelier.timer.changed';

let timer = $state<Timer | null>(null);
/** `performance.now()` when `timer` arrived; elapsed = its `elapsedSeconds` + the time since. */
let receivedAt = 0;
let now = $state(0);
let loaded = $state(false);
let busy = $state(false);
let error = $state<string | null>(null);
/** What the last start or stop did, in words for the live region (never the ticking clock). */
let announcement = $state('');
/** Grows whenever a timer stops anywhere: lists of entries reload on it. */
let stops = $state(0);

let channel: BroadcastChannel | null = null;
let ticker: ReturnType<typeof setInterval> | undefined;
let connections = 0;
let loadCounter = 0;

function tick(): void {
  now = performance.now();
}

function setTimer(next: Timer | null): void {
  const wasRunning = timer !== null;
  timer = next;
  receivedAt = performance.now();
  now = receivedAt;
  clearInterval(ticker);
  ticker = next ? setInterval(tick, 1000) : undefined;
  if (wasRunning && !next) stops++;
}

async function load(): Promise<void> {
  const mine = ++loadCounter;
  try {
    const current = await api<CurrentTimer>('/api/timers/current');
    // An older answer that arrives after a newer one is dropped.
    if (mine !== loadCounter) return;
    setTimer(current.timer);
    error = null;
  } catch (e) {
    if (mine !== loadCounter || (e instanceof ApiError && e.status === 401)) return;
    error = `Could not load your timer. ${describeError(e)}`;
  } finally {
    if (mine === loadCounter) loaded = true;
  }
}

/** Tells the other tabs that the timer changed; they ask the server for it. */
function broadcast(): void {
  if (channel) channel.postMessage('changed');
  else {
    try {
      localStorage.setItem(STORAGE_KEY, String(Date.now()));
    } catch {
      // Storage refused: the other tabs catch up when they come back into view.
    }
  }
}

function onStorage(event: StorageEvent): void {
  if (event.key === STORAGE_KEY) void load();
}

function onVisible(): void {
  if (document.visibilityState === 'visible') void load();
}

export const timerStore = {
  get timer(): Timer | null {
    return timer;
  },
  get loaded(): boolean {
    return loaded;
  },
  get busy(): boolean {
    return busy;
  },
  get error(): string | null {
    return error;
  },
  get announcement(): string {
    return announcement;
  },
  get stops(): number {
    return stops;
  },
  /** Seconds the running timer has run, by the server's start instant; 0 when none runs. */
  get elapsedSeconds(): number {
    return timer ? timer.elapsedSeconds + Math.max(0, now - receivedAt) / 1000 : 0;
  },

  /** Called by the app shell: loads the timer and listens to the other tabs. Returns the disconnect. */
  connect(): () => void {
    if (connections++ === 0) {
      if (typeof BroadcastChannel === 'function') {
        channel = new BroadcastChannel(CHANNEL);
        channel.onmessage = () => void load();
      } else window.addEventListener('storage', onStorage);
      document.addEventListener('visibilitychange', onVisible);
      void load();
    }
    return () => {
      if (--connections > 0) return;
      channel?.close();
      channel = null;
      window.removeEventListener('storage', onStorage);
      document.removeEventListener('visibilitychange', onVisible);
      clearInterval(ticker);
      timer = null;
      loaded = false;
    };
  },

  reload: load,

  /** Starts a timer (a running one is stopped by the server and becomes an entry). Throws the API's error. */
  async start(body: StartTimerBody, label: string): Promise<StartedTimer> {
    busy = true;
    error = null;
    loadCounter++;
    try {
      const started = await api<StartedTimer>('/api/timers/start', { method: 'POST', body });
      setTimer(started.timer);
      if (started.stopped) stops++;
      announcement = `Timer started for ${label}.`;
      broadcast();
      return started;
    } finally {
      busy = false;
    }
  },

  /** Stops the running timer; resolves with the time entry it became. */
  async stop(label: string): Promise<TimeEntry | null> {
    busy = true;
    error = null;
    loadCounter++;
    try {
      const entry = await api<TimeEntry>('/api/timers/stop', { method: 'POST' });
      setTimer(null);
      announcement = `Timer stopped. ${spokenDuration(entry.minutes)} logged on ${label}.`;
      broadcast();
      return entry;
    } catch (e) {
      // Stopped elsewhere meanwhile: show what the server has.
      if (e instanceof ApiError && e.code === 'timer.not_running') {
        await load();
        return null;
      }
      error = `Could not stop the timer. ${describeError(e)}`;
      return null;
    } finally {
      busy = false;
    }
  },
};

/**
 * Runs `reload` whenever a timer stops, in this tab or another, after the caller started:
 * a stopped timer is a new entry the screen's lists should show. Must be called while a
 * component initialises.
 */
export function onTimerStop(reload: () => unknown): void {
  let seen = stops;
  $effect(() => {
    if (stops === seen) return;
    seen = stops;
    void reload();
  });
}
