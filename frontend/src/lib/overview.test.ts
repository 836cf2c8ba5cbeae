import { describe, it, expect } from 'vitest'
import { findMilestones, durations, formatDuration, layoutLabels, formatTick, timeTicks, zoneOffset, bucketCounts, densityCells, useDensity, type PlacedLabel } from './overview'
import type { Entry } from './api'

const entry = (id: string, at: string, tags: string[], deleted = false): Entry => ({
  id, incident_id: 'i', kind: 'note', occurred_at: at, recorded_at: at, author: 'Ana', text: id, tags,
  evidence: [], revision: 1, deleted,
})

describe('overview', () => {
  const entries = [
    entry('alert', '2026-11-22T10:20:00.000000000Z', ['Impact detected']), // as the domain spells it
    entry('start', '2026-11-22T10:00:00.000000000Z', ['start-time']),
    entry('page', '2026-11-22T10:25:00.000000000Z', ['response-initiated']),
    entry('old-start', '2026-11-22T09:00:00.000000000Z', ['start-time'], true),
    entry('fix', '2026-11-22T12:05:00.000000000Z', ['impact-mitigated']),
  ]

  it('finds the first visible entry of each milestone, in time order', () => {
    const ms = findMilestones(entries)
    expect(ms.map((m) => m.entryID)).toEqual(['start', 'alert', 'page', 'fix'])
    expect(ms[0].label).toBe('Start time')
  })

  it('derives the durations, null where a milestone is missing', () => {
    const d = Object.fromEntries(durations(findMilestones(entries)).map((x) => [x.label, x.ms]))
    expect(d['Time to detect']).toBe(20 * 60_000)
    expect(d['Time to respond']).toBe(5 * 60_000)
    expect(d['Time to mitigate']).toBe(125 * 60_000)
    expect(d['Time to resolve']).toBeNull()
  })

  it('formats durations', () => {
    expect(formatDuration(30_000)).toBe('30 s')
    expect(formatDuration(45 * 60_000)).toBe('45 min')
    expect(formatDuration(125 * 60_000)).toBe('2 h 05 min')
    expect(formatDuration(50 * 3600_000)).toBe('2 d 2 h')
  })
})

// Six pixels a character stands in for the page's measured text widths.
const measure = (t: string) => t.length * 6

// noOverlap fails the test when two labels on one row come closer than gap pixels or a label
// leaves the chart.
function noOverlap(placed: PlacedLabel[], width: number, gap = 6) {
  for (const p of placed) {
    expect(p.left).toBeGreaterThanOrEqual(0)
    expect(p.left + p.width).toBeLessThanOrEqual(width)
  }
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      const [a, b] = [placed[i], placed[j]]
      if (a.row !== b.row) continue
      const apart = a.left + a.width + gap <= b.left || b.left + b.width + gap <= a.left
      expect(apart, `${a.text} and ${b.text} overlap on row ${a.row}`).toBe(true)
    }
  }
}

const names = ['Start time', 'Impact detected', 'Response initiated', 'Impact mitigated', 'Cause identified', 'End time']

describe('milestone label layout', () => {
  it('keeps far-apart labels on one row', () => {
    const { placed, rows } = layoutLabels([{ text: 'Start time', x: 100 }, { text: 'End time', x: 600 }], measure, 800)
    expect(rows).toBe(1)
    noOverlap(placed, 800)
  })

  it('stacks close labels and reuses a row once it is free', () => {
    const { placed, rows } = layoutLabels([
      { text: 'Start time', x: 100 }, { text: 'Impact detected', x: 108 }, { text: 'End time', x: 400 },
    ], measure, 800)
    expect(placed[0].row).not.toBe(placed[1].row)
    expect(placed[2].row).toBe(0)
    expect(rows).toBe(2)
    noOverlap(placed, 800)
  })

  it('gives labels at the same time a row each', () => {
    const { placed, rows } = layoutLabels(names.map((text) => ({ text, x: 300 })), measure, 800)
    expect(rows).toBe(6)
    expect(new Set(placed.map((p) => p.row)).size).toBe(6)
    noOverlap(placed, 800)
  })

  it('keeps labels inside a narrow chart and shortens those wider than it', () => {
    const narrow = layoutLabels(names.map((text, i) => ({ text, x: i * 24 })), measure, 120)
    noOverlap(narrow.placed, 120)
    expect(narrow.placed.map((p) => p.text)).toEqual(names) // all fit: 108 px at most
    expect(narrow.placed[0].left).toBe(0) // pushed in from the left edge
    const tiny = layoutLabels([{ text: 'Response initiated', x: 30 }, { text: 'Start time', x: 31 }], measure, 60)
    noOverlap(tiny.placed, 60)
    expect(tiny.placed[0].text).toBe('Response…')
    expect(tiny.placed[1].text).toBe('Start time')
  })

  it('puts a label at the right edge against it', () => {
    const { placed } = layoutLabels([{ text: 'End time', x: 800 }], measure, 800)
    expect(placed[0].left + placed[0].width).toBe(800)
  })
})

describe('axis ticks', () => {
  const at = (iso: string) => Date.parse(iso)
  const labels = (from: string, to: string, width: number, tz: string | undefined) =>
    timeTicks(at(from), at(to), width, tz).ticks.map((t) => t.label)

  it('labels a span of minutes in 24-hour HH:MM, in UTC or the zone asked', () => {
    expect(labels('2026-11-22T13:00:20Z', '2026-11-22T13:29:40Z', 800, 'UTC')).toEqual(['13:05', '13:10', '13:15', '13:20', '13:25'])
    expect(labels('2026-11-22T13:00:20Z', '2026-11-22T13:29:40Z', 800, 'Asia/Tokyo')).toEqual(['22:05', '22:10', '22:15', '22:20', '22:25'])
  })

  it('puts hour ticks on whole hours of the zone, half-hour offsets too', () => {
    expect(labels('2026-11-22T08:10:00Z', '2026-11-22T14:50:00Z', 560, 'UTC')).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00', '14:00'])
    const india = timeTicks(at('2026-11-22T08:10:00Z'), at('2026-11-22T14:50:00Z'), 560, 'Asia/Kolkata').ticks
    expect(india.map((t) => t.label)).toEqual(['14:00', '15:00', '16:00', '17:00', '18:00', '19:00', '20:00'])
    expect(india[0].at).toBe(at('2026-11-22T08:30:00Z'))
  })

  it('shows the date on the day boundary, where the zone has it', () => {
    expect(labels('2026-11-22T22:00:00Z', '2026-11-23T02:00:00Z', 800, 'UTC'))
      .toEqual(['22:00', '22:30', '23:00', '23:30', '23 Nov', '00:30', '01:00', '01:30', '02:00'])
    expect(labels('2026-11-22T22:00:00Z', '2026-11-23T02:00:00Z', 800, 'Asia/Tokyo'))
      .toEqual(['07:00', '07:30', '08:00', '08:30', '09:00', '09:30', '10:00', '10:30', '11:00'])
  })

  it('labels a span of days with dates at the zone\'s midnights', () => {
    expect(labels('2026-11-20T06:00:00Z', '2026-11-27T18:00:00Z', 800, 'UTC'))
      .toEqual(['21 Nov', '22 Nov', '23 Nov', '24 Nov', '25 Nov', '26 Nov', '27 Nov'])
    const tokyo = timeTicks(at('2026-11-20T06:00:00Z'), at('2026-11-27T18:00:00Z'), 800, 'Asia/Tokyo').ticks
    expect(tokyo[0]).toEqual({ at: at('2026-11-20T15:00:00Z'), label: '21 Nov' })
    expect(tokyo.every((t) => /^\d{1,2} [A-Z][a-z]{2}$/.test(t.label))).toBe(true)
  })

  it('steps over the hour summer time skips', () => {
    const ny = timeTicks(at('2026-03-08T05:30:00Z'), at('2026-03-08T10:10:00Z'), 560, 'America/New_York').ticks
    expect(ny.map((t) => t.label)).toEqual(['01:00', '03:00', '04:00', '05:00', '06:00'])
    expect(ny.map((t) => t.at)).toEqual(['06:00', '07:00', '08:00', '09:00', '10:00'].map((h) => at(`2026-03-08T${h}:00Z`)))
  })

  it('reads "local" (no zone named) as the machine\'s zone', () => {
    const t = at('2026-11-22T13:45:00Z')
    const d = new Date(t)
    const hhmm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
    expect(formatTick(t, undefined, 60_000)).toBe(hhmm)
    expect(zoneOffset(t, undefined) + d.getTimezoneOffset() * 60_000).toBe(0)
  })

  it('never gives more ticks than the width has room for', () => {
    for (const width of [160, 320, 800, 1600]) {
      for (const hours of [0.1, 1, 5, 30, 200, 5000]) {
        const from = at('2026-11-22T13:07:00Z')
        const { ticks } = timeTicks(from, from + hours * 3600_000, width, 'Asia/Kolkata')
        expect(ticks.length).toBeLessThanOrEqual(Math.max(2, Math.floor(width / 70)))
        expect(ticks.length).toBeGreaterThan(0)
        expect(ticks.every((x) => /^(\d\d:\d\d|\d{1,2} [A-Z][a-z]{2})$/.test(x.label))).toBe(true)
      }
    }
  })
})

describe('density', () => {
  const from = Date.parse('2026-11-22T10:00:00Z')
  const twoHours = 2 * 3600_000

  it('counts 10,000 entries over two hours in the buckets asked', () => {
    const times = Array.from({ length: 10_000 }, (_, i) => from + (i * twoHours) / 10_000)
    const counts = bucketCounts(times, from, from + twoHours, 240)
    expect(counts).toHaveLength(240)
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10_000)
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(41) // spread evenly: 41 or 42 a bucket
    expect(Math.max(...counts)).toBeLessThanOrEqual(42)
  })

  it('leaves buckets without entries empty and counts the ends in the end buckets', () => {
    const counts = bucketCounts([from, from + 1000, from + twoHours], from, from + twoHours, 4)
    expect(counts).toEqual([2, 0, 0, 1])
    expect(bucketCounts([from - 1000, from + twoHours + 1000, NaN], from, from + twoHours, 4)).toEqual([1, 0, 0, 1]) // outside: kept at the ends
  })

  it('counts a single entry once, even over an empty span', () => {
    expect(bucketCounts([from], from, from, 3)).toEqual([1, 0, 0])
    expect(bucketCounts([from + 5000], from, from + twoHours, 3)).toEqual([1, 0, 0])
    expect(bucketCounts([], from, from + twoHours, 3)).toEqual([0, 0, 0])
  })

  it('gives cells per kind, only where there are entries', () => {
    const points = [
      ...Array.from({ length: 300 }, (_, i) => ({ at: from + i * 1000, kind: 'note' })), // the first five minutes
      { at: from + twoHours, kind: 'evidence' },
    ]
    const cells = densityCells(points, from, from + twoHours, 24) // five-minute buckets
    expect(cells).toEqual([
      { kind: 'note', x1: from, x2: from + 300_000, count: 300 },
      { kind: 'evidence', x1: from + twoHours - 300_000, x2: from + twoHours, count: 1 },
    ])
  })

  it('switches to density above 500 entries or two a pixel column', () => {
    expect(useDensity(3000, 1000)).toBe(true)
    expect(useDensity(501, 1000)).toBe(true)
    expect(useDensity(500, 1000)).toBe(false)
    expect(useDensity(300, 100)).toBe(true)
  })
})
