/** What every console page is: it renders into the view and may return a cleanup (timers, listeners). */
export type Page = (
  view: HTMLElement,
  params: Record<string, string>,
  query: URLSearchParams,
) => void | (() => void) | Promise<void | (() => void)>;

/**
 * Calls `tick` now and then every `ms` while the page is shown; returns the cleanup. Ticks do not
 * overlap, and are skipped while a dialog is open (pages keep their own editors from being redrawn).
 */
export function poll(ms: number, tick: () => Promise<void>): () => void {
  let running = false;
  let stopped = false;
  const run = async () => {
    if (running || stopped || document.querySelector('dialog[open]')) return;
    running = true;
    try {
      await tick();
      offline(false);
    } catch {
      offline(true);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void run(), ms);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}

/** Shows (or hides) a banner while refreshes fail, e.g. when the server is down. */
function offline(on: boolean): void {
  let banner = document.getElementById('offline');
  if (!on) {
    banner?.remove();
    return;
  }
  if (banner) return;
  banner = document.createElement('div');
  banner.id = 'offline';
  banner.className = 'offline';
  banner.textContent = 'Cannot reach the Baton server; retrying…';
  document.body.append(banner);
}
