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
