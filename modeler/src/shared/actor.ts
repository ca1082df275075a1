/** The operator's name, typed once and kept in localStorage; sent as `X-Baton-Actor`. */
const KEY = 'baton.actor';

/** The stored operator name, or "operator" when none was typed yet. */
export function getActor(): string {
  try {
    return localStorage.getItem(KEY)?.trim() || 'operator';
  } catch {
    return 'operator';
  }
}

/** Stores the operator name (blank resets it to the default). */
export function setActor(name: string): void {
  try {
    if (name.trim()) localStorage.setItem(KEY, name.trim());
    else localStorage.removeItem(KEY);
  } catch {
    // storage unavailable (private mode): the default name is used
  }
}
