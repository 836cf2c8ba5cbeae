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
