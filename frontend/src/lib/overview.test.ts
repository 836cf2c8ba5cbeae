import { describe, it, expect } from 'vitest'
import { findMilestones, durations, formatDuration } from './overview'
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
