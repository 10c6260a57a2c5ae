/**
 * A component whose state outlives a restart when SANDBOX_STATE_FILE is set. `snapshot()` returns
 * plain data (objects, arrays, strings, numbers, booleans, Dates, Decimals; no Maps or class
 * instances) that `restore()` turns back into the same working state.
 */
export interface Persistent<S> {
  snapshot(): S;
  restore(state: S): void;
}

/**
 * A setting that starts from the environment and can be changed through the test API. The saved
 * defaults tell the two apart at the next boot: a value changed in the environment since the file
 * was written takes effect, otherwise the value the test API set is kept.
 */
export interface SettingsSnapshot<T> {
  settings: T;
  defaults: T;
}

export function restoreSettings<T extends object>(defaults: T, saved: SettingsSnapshot<T>): T {
  const restored = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof T)[]) {
    if (key in saved.settings && defaults[key] === saved.defaults[key]) restored[key] = saved.settings[key];
  }
  return restored;
}
