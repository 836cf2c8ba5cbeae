// Times on screen: UTC by default, local on request, the zone always shown.
export type Zone = 'utc' | 'local'

// Building an Intl.DateTimeFormat costs far more than using one: a hundred thousand entries
// must not build a hundred thousand formatters.
const formatters: Partial<Record<Zone, Intl.DateTimeFormat>> = {}

function formatter(zone: Zone) {
  return (formatters[zone] ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: zone === 'utc' ? 'UTC' : undefined,
    year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    timeZoneName: 'short',
  }))
}

const parts = (iso: string, zone: Zone) => formatter(zone).formatToParts(new Date(iso))

function pick(iso: string, zone: Zone) {
  const p = Object.fromEntries(parts(iso, zone).map((x) => [x.type, x.value]))
  return p as Record<string, string>
}

/** formatClock gives "14:03:07 UTC" or "15:03:07 CET". */
export function formatClock(iso: string, zone: Zone): string {
  const p = pick(iso, zone)
  return `${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`
}

/** dayKey gives the calendar day ("2026-11-22") of the time in the zone. */
export function dayKey(iso: string, zone: Zone): string {
  if (zone === 'utc' && iso.endsWith('Z')) return iso.slice(0, 10) // Blotter's times are UTC RFC 3339
  const p = pick(iso, zone)
  return `${p.year}-${p.month}-${p.day}`
}

/** dayLabel gives "Sunday 22 November 2026". */
export function dayLabel(key: string): string {
  const d = new Date(key + 'T12:00:00Z')
  return new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d)
}

/** nowISO is the current time as RFC 3339 with milliseconds. */
export function nowISO(): string {
  return new Date().toISOString()
}

/** formatSize gives "1.2 MiB". */
export function formatSize(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let i = 0
  let v = n
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`
}

// Due times read against now, as a responder needs them: when (the date only when it is not
// today in the zone shown) and how long is left, or how long it is overdue.
export type Due = { when: string; left: string; overdue: boolean }

const dayFormatters: Partial<Record<string, Intl.DateTimeFormat>> = {}

function dayText(iso: string, zone: Zone, withYear: boolean): string {
  const key = zone + (withYear ? ':y' : '')
  return (dayFormatters[key] ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: zone === 'utc' ? 'UTC' : undefined,
    weekday: 'short', day: 'numeric', month: 'short', year: withYear ? 'numeric' : undefined,
  })).formatToParts(new Date(iso)).filter((x) => x.type !== 'literal').map((x) => x.value).join(' ') // "Mon 4 Jan 2027", no commas
}

/** formatDue gives {when: "17:00 UTC" or "Tue 24 Nov 17:00 UTC", left: "in 40 min" or
 * "2 h overdue", overdue}. Amounts are whole minutes under an hour, whole hours under two
 * days, then whole days, all rounded down. */
export function formatDue(iso: string, now: number, zone: Zone): Due {
  const p = pick(iso, zone)
  const today = new Date(now).toISOString()
  const clock = `${p.hour}:${p.minute} ${p.timeZoneName}`
  const when = dayKey(iso, zone) === dayKey(today, zone)
    ? clock
    : `${dayText(iso, zone, dayKey(iso, zone).slice(0, 4) !== dayKey(today, zone).slice(0, 4))} ${clock}`
  const ms = Date.parse(iso) - now
  const min = Math.floor(Math.abs(ms) / 60_000)
  const amount = min < 60 ? `${min} min` : min < 48 * 60 ? `${Math.floor(min / 60)} h` : `${Math.floor(min / 1440)} d`
  const overdue = ms < 0
  const left = min < 1 ? (overdue ? 'just overdue' : 'due now') : overdue ? `${amount} overdue` : `in ${amount}`
  return { when, left, overdue }
}

/** parseTime reads a time as the note box accepts it — "now", -DURATION (-15m, -1h30m),
 * RFC 3339, YYYY-MM-DD HH:MM[:SS] or HH:MM[:SS] (the most recent such time) — and returns it
 * in milliseconds, or null. Times without a zone are in the zone the view shows (the note box
 * reads them in the machine's zone): a time read off the screen finds what is on it. */
export function parseTime(text: string, now: number, zone: Zone): number | null {
  const s = text.trim()
  if (/^now$/i.test(s)) return now
  const rel = s.match(/^-((?:\d+(?:\.\d+)?(?:h|m|s))+)$/)
  if (rel) {
    const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000 }
    let ms = 0
    for (const [, n, u] of rel[1].matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)) ms += Number(n) * unit[u]
    return now - ms
  }
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/i.test(s)) {
    const t = Date.parse(s)
    return Number.isNaN(t) ? null : t
  }
  const wall = (y: number, mo: number, d: number, h: number, mi: number, sec: number) =>
    zone === 'utc' ? Date.UTC(y, mo - 1, d, h, mi, sec) : new Date(y, mo - 1, d, h, mi, sec).getTime()
  const full = s.match(/^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d))?$/)
  if (full) {
    const [y, mo, d, h, mi, sec] = full.slice(1).map((x) => Number(x ?? 0))
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59) return null
    return wall(y, mo, d, h, mi, sec)
  }
  const clock = s.match(/^(\d{1,2}):(\d\d)(?::(\d\d))?$/)
  if (clock) {
    const [h, mi, sec] = clock.slice(1).map((x) => Number(x ?? 0))
    if (h > 23 || mi > 59 || sec > 59) return null
    const [y, mo, d] = dayKey(new Date(now).toISOString(), zone).split('-').map(Number)
    const t = wall(y, mo, d, h, mi, sec)
    return t > now ? wall(y, mo, d - 1, h, mi, sec) : t // later today has not happened yet
  }
  return null
}
