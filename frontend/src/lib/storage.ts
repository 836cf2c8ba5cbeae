// localStorage under Blotter's prefix, as JSON; a store that is off (private mode) or full
// reads as empty and writes nothing, so callers keep their own copy for the session.
const prefix = 'blotter.'

export function stored<T>(key: string, fallback: T): T {
  try {
    const v = localStorage.getItem(prefix + key)
    return v === null ? fallback : (JSON.parse(v) as T)
  } catch {
    return fallback
  }
}

export function keep(key: string, value: unknown) {
  try {
    localStorage.setItem(prefix + key, JSON.stringify(value))
  } catch {
    // off or full: the value lasts this session only
  }
}

export function forget(key: string) {
  try {
    localStorage.removeItem(prefix + key)
  } catch {
    // off: there is nothing to forget
  }
}
