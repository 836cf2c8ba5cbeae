import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest'
import { formatDue, parseTime } from './time'

// "local" is the machine's zone: a fixed one east of UTC, so that local and UTC days differ.
// Set before the first formatter is built (they are built on first use).
beforeAll(() => {
  vi.stubEnv('TZ', 'Asia/Tokyo') // UTC+9, no summer time
})
afterAll(() => {
  vi.unstubAllEnvs()
})

const now = Date.parse('2026-11-22T12:00:00Z') // a Sunday; 21:00 in Tokyo

describe('formatDue', () => {
  it('today: the clock time and the time left', () => {
    expect(formatDue('2026-11-22T12:40:00Z', now, 'utc')).toEqual({ when: '12:40 UTC', left: 'in 40 min', overdue: false })
    expect(formatDue('2026-11-22T17:00:00Z', now, 'utc')).toEqual({ when: '17:00 UTC', left: 'in 5 h', overdue: false })
  })

  it('tomorrow: the date too', () => {
    expect(formatDue('2026-11-23T11:00:00Z', now, 'utc')).toEqual({ when: 'Mon 23 Nov 11:00 UTC', left: 'in 23 h', overdue: false })
  })

  it('overdue', () => {
    expect(formatDue('2026-11-22T09:50:00Z', now, 'utc')).toEqual({ when: '09:50 UTC', left: '2 h overdue', overdue: true })
    expect(formatDue('2026-11-22T11:59:30Z', now, 'utc').left).toBe('just overdue')
    expect(formatDue('2026-11-20T12:00:00Z', now, 'utc')).toEqual({ when: 'Fri 20 Nov 12:00 UTC', left: '2 d overdue', overdue: true })
  })

  it('days away, and the year when it is not this one', () => {
    expect(formatDue('2026-11-27T08:00:00Z', now, 'utc').left).toBe('in 4 d')
    expect(formatDue('2026-11-24T11:59:00Z', now, 'utc').left).toBe('in 47 h')
    expect(formatDue('2027-01-04T08:00:00Z', now, 'utc').when).toBe('Mon 4 Jan 2027 08:00 UTC')
  })

  it('"today" is the day in the zone shown', () => {
    // now is 12:00 UTC and 21:00 in Tokyo, both on the 22nd.
    expect(formatDue('2026-11-22T16:00:00Z', now, 'utc').when).toBe('16:00 UTC')
    expect(formatDue('2026-11-22T16:00:00Z', now, 'local').when).toBe('Mon 23 Nov 01:00 GMT+9') // past midnight there
    expect(formatDue('2026-11-21T16:00:00Z', now, 'utc').when).toBe('Sat 21 Nov 16:00 UTC')
    expect(formatDue('2026-11-21T16:00:00Z', now, 'local').when).toBe('01:00 GMT+9') // the 22nd there
  })
})

describe('parseTime', () => {
  it('reads a clock time as its most recent occurrence in the zone', () => {
    expect(parseTime('11:05', now, 'utc')).toBe(Date.parse('2026-11-22T11:05:00Z'))
    expect(parseTime('14:05', now, 'utc')).toBe(Date.parse('2026-11-21T14:05:00Z')) // not yet today
    expect(parseTime('20:30:15', now, 'local')).toBe(Date.parse('2026-11-22T11:30:15Z')) // 20:30:15 in Tokyo
  })

  it('reads dates, RFC 3339, durations and now', () => {
    expect(parseTime('2026-11-20 08:00', now, 'utc')).toBe(Date.parse('2026-11-20T08:00:00Z'))
    expect(parseTime('2026-11-20T08:00', now, 'local')).toBe(Date.parse('2026-11-19T23:00:00Z'))
    expect(parseTime('2026-11-20T08:00:00+01:00', now, 'local')).toBe(Date.parse('2026-11-20T07:00:00Z'))
    expect(parseTime('-1h30m', now, 'utc')).toBe(now - 90 * 60_000)
    expect(parseTime(' now ', now, 'utc')).toBe(now)
  })

  it('refuses what it cannot read', () => {
    for (const s of ['', 'soon', '25:00', '14:5', '2026-13-01 10:00', '-', '+5m']) expect(parseTime(s, now, 'utc'), s).toBeNull()
  })
})
