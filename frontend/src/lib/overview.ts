// The incident overview's figures: GitLab's incident timeline tags as milestones, and the
// durations between them. An entry carries a milestone when it has the tag: the domain writes
// #start-time as GitLab spells it ("Start time"), so both spellings are matched.
import type { Entry } from './api'

export const milestones = [
  { tag: 'start-time', label: 'Start time' },
  { tag: 'impact-detected', label: 'Impact detected' },
  { tag: 'response-initiated', label: 'Response initiated' },
  { tag: 'impact-mitigated', label: 'Impact mitigated' },
  { tag: 'cause-identified', label: 'Cause identified' },
  { tag: 'end-time', label: 'End time' },
] as const

export type Milestone = { tag: string; label: string; at: string; entryID: string }

/** findMilestones returns the first visible entry carrying each milestone tag, in time order. */
export function findMilestones(entries: Entry[]): Milestone[] {
  const found: Milestone[] = []
  for (const m of milestones) {
    let first: Entry | undefined
    for (const e of entries) {
      const tagged = e.tags.some((t) => t.toLowerCase() === m.tag || t.toLowerCase() === m.label.toLowerCase())
      if (!e.deleted && tagged && (!first || e.occurred_at < first.occurred_at)) first = e
    }
    if (first) found.push({ tag: m.tag, label: m.label, at: first.occurred_at, entryID: first.id })
  }
  return found.sort((a, b) => a.at.localeCompare(b.at))
}

export type Duration = { label: string; ms: number | null; from: string; to: string }

/** durations: time to detect (start → detected), to respond (detected → response), to
 * mitigate (start → mitigated), to resolve (start → end); null where a milestone is missing. */
export function durations(ms: Milestone[]): Duration[] {
  const at = (tag: string) => ms.find((m) => m.tag === tag)?.at
  const span = (label: string, from: string, to: string): Duration => {
    const a = at(from), b = at(to)
    return { label, from, to, ms: a && b ? Date.parse(b) - Date.parse(a) : null }
  }
  return [
    span('Time to detect', 'start-time', 'impact-detected'),
    span('Time to respond', 'impact-detected', 'response-initiated'),
    span('Time to mitigate', 'start-time', 'impact-mitigated'),
    span('Time to resolve', 'start-time', 'end-time'),
  ]
}

/** formatDuration gives "2 h 05 min", "45 min", "30 s". */
export function formatDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000)
  const sign = ms < 0 ? '−' : ''
  if (s < 60) return `${sign}${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${sign}${m} min`
  const h = Math.floor(m / 60)
  if (h < 48) return `${sign}${h} h ${String(m % 60).padStart(2, '0')} min`
  return `${sign}${Math.floor(h / 24)} d ${h % 24} h`
}

// ---- The chart's layout: milestone labels, the time axis, density. Pure, so Vitest checks
// them; OverviewChart draws what they return.

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

export type LabelIn = { text: string; x: number } // x: the milestone's position in pixels
export type PlacedLabel = { text: string; left: number; width: number; row: number }

/** layoutLabels places each label centred on its x (kept inside [0, chartWidth]) on the
 * lowest row where it clears the labels already there by gap pixels, so no two boxes overlap
 * however close the milestones are; a label wider than the chart is shortened with "…".
 * measure gives a text's width in pixels (measured in the page, estimated in tests). At most
 * one row per label (six milestones, six rows). Returns the labels in input order. */
export function layoutLabels(labels: LabelIn[], measure: (text: string) => number, chartWidth: number, gap = 6): { placed: PlacedLabel[]; rows: number } {
  const fit = (text: string) => {
    if (measure(text) <= chartWidth) return text
    let n = text.length
    const cut = (k: number) => text.slice(0, k).trimEnd() + '…'
    while (n > 0 && measure(cut(n)) > chartWidth) n--
    return cut(n)
  }
  const placed: PlacedLabel[] = labels.map((l) => {
    const text = fit(l.text)
    const width = Math.min(measure(text), chartWidth)
    const left = Math.max(0, Math.min(chartWidth - width, l.x - width / 2))
    return { text, left, width, row: 0 }
  })
  const order = placed.map((_, i) => i).sort((a, b) => placed[a].left - placed[b].left || a - b)
  const rowEnds: number[] = [] // the right edge of the last box on each row
  for (const i of order) {
    const p = placed[i]
    let row = rowEnds.findIndex((end) => end + gap <= p.left)
    if (row < 0) row = rowEnds.push(0) - 1
    rowEnds[row] = p.left + p.width
    p.row = row
  }
  return { placed, rows: rowEnds.length }
}

// Wall-clock time in a zone (an IANA name; undefined is the machine's zone, as "local" in the
// app). Intl rather than Date's local methods so tests can name any zone.
const wallFormatters = new Map<string, Intl.DateTimeFormat>()

function wallParts(ms: number, tz: string | undefined) {
  const key = tz ?? ''
  let f = wallFormatters.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz, year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23',
    })
    wallFormatters.set(key, f)
  }
  const p: Record<string, number> = {}
  for (const x of f.formatToParts(ms)) if (x.type !== 'literal') p[x.type] = Number(x.value)
  return p as { year: number; month: number; day: number; hour: number; minute: number; second: number }
}

/** zoneOffset: how far the zone's wall clock is ahead of UTC at that instant, in ms. */
export function zoneOffset(ms: number, tz: string | undefined): number {
  const p = wallParts(ms, tz)
  const whole = Math.floor(ms / 1000) * 1000
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole
}

// The instant a wall-clock time (as ms, read as if UTC) names in the zone; twice, so that an
// offset change (summer time) between the guess and the answer is caught.
function fromWall(wall: number, tz: string | undefined): number {
  const guess = wall - zoneOffset(wall, tz)
  return wall - zoneOffset(guess, tz)
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad2 = (n: number) => String(n).padStart(2, '0')

/** formatTick gives an axis label in the zone: "14:05" (24-hour, whatever the locale), or the
 * date "23 Nov" on a day boundary (midnight there) and on every tick when ticks are days apart. */
export function formatTick(ms: number, tz: string | undefined, step: number): string {
  const p = wallParts(ms, tz)
  if (step >= DAY || (p.hour === 0 && p.minute === 0)) return `${p.day} ${MONTHS[p.month - 1]}`
  return `${pad2(p.hour)}:${pad2(p.minute)}`
}

// Tick steps that divide a day (so midnight is always a tick) and then whole days.
const STEPS = [1, 2, 5, 10, 15, 30].map((m) => m * MINUTE)
  .concat([1, 2, 3, 6, 12].map((h) => h * HOUR), [1, 2, 7, 14, 28].map((d) => d * DAY))

export type Tick = { at: number; label: string }

/** timeTicks picks the smallest step that leaves at least `spacing` pixels per tick over
 * `width` pixels, and returns the ticks in [from, to] on round wall-clock times in the zone
 * (whole minutes, hours, midnights) with their labels. */
export function timeTicks(from: number, to: number, width: number, tz: string | undefined, spacing = 70): { step: number; ticks: Tick[] } {
  const most = Math.max(2, Math.floor(width / spacing))
  const span = Math.max(0, to - from)
  let step = STEPS.find((s) => span / s < most) ?? STEPS[STEPS.length - 1]
  while (span / step >= most) step *= 2 // beyond the list: years of entries
  const ticks: Tick[] = []
  let wall = Math.ceil((from + zoneOffset(from, tz)) / step) * step // aligned in wall-clock time
  for (let guard = 0; guard < 1000; guard++, wall += step) {
    const at = fromWall(wall, tz)
    if (at > to) break
    if (at >= from && (ticks.length === 0 || at > ticks[ticks.length - 1].at)) ticks.push({ at, label: formatTick(at, tz, step) })
  }
  return { step, ticks }
}

/** Above this many entries, or two entries per pixel column, the chart draws density. */
export const DENSITY_ENTRIES = 500

export function useDensity(count: number, plotWidth: number): boolean {
  return count > DENSITY_ENTRIES || count > 2 * plotWidth
}

/** bucketCounts counts the times in n equal buckets over [from, to], in one pass; a time on
 * `to` (or beyond either end) counts in the last (first) bucket, NaN in none. */
export function bucketCounts(times: ArrayLike<number>, from: number, to: number, n: number): number[] {
  const counts = new Array<number>(Math.max(1, n)).fill(0)
  const n1 = counts.length
  const span = to > from ? to - from : Infinity // an empty span puts everything in the first
  for (let i = 0; i < times.length; i++) {
    const t = times[i]
    if (Number.isNaN(t)) continue
    counts[Math.max(0, Math.min(n1 - 1, Math.floor(((t - from) * n1) / span)))]++
  }
  return counts
}

export type DensityCell = { kind: string; x1: number; x2: number; count: number }

/** densityCells groups the points by kind and counts each kind in n buckets over [from, to];
 * only the buckets with entries come back. */
export function densityCells(points: { at: number; kind: string }[], from: number, to: number, n: number): DensityCell[] {
  const byKind = new Map<string, number[]>()
  for (const p of points) {
    let list = byKind.get(p.kind)
    if (!list) byKind.set(p.kind, (list = []))
    list.push(p.at)
  }
  const cells: DensityCell[] = []
  const width = (to - from) / Math.max(1, n)
  for (const [kind, times] of byKind) {
    bucketCounts(times, from, to, n).forEach((count, i) => {
      if (count > 0) cells.push({ kind, x1: from + i * width, x2: from + (i + 1) * width, count })
    })
  }
  return cells
}
