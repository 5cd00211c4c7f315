/**
 * The signed-in token. sessionStorage, not localStorage: it is gone when the tab closes, and other tabs
 * (another person at a shared computer) do not inherit it.
 */

const KEY = 'rabat-dashboard-token';

export function savedToken() {
  return sessionStorage.getItem(KEY);
}

export function saveToken(token) {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken() {
  sessionStorage.removeItem(KEY);
}
