import { describe, it, expect } from 'vitest'
import { filterEntries, groupByDay, emptyFilters } from './timeline.svelte'
import type { Entry } from '../api'

const entry = (id: string, at: string, extra: Partial<Entry> = {}): Entry => ({
  id, incident_id: 'i', kind: 'note', occurred_at: at, recorded_at: at, author: 'ana', text: id,
  tags: [], evidence: [], revision: 1, deleted: false, ...extra,
})

const list = [
  entry('a', '2026-11-21T23:30:00.000000000Z', { tags: ['Impact detected'] }),
  entry('b', '2026-11-22T00:10:00.000000000Z', { kind: 'file', author: 'ben' }),
  entry('c', '2026-11-22T08:00:00.000000000Z', { deleted: true }),
]

describe('filterEntries', () => {
  it('hides deleted entries unless asked', () => {
    expect(filterEntries(list, emptyFilters()).map((e) => e.id)).toEqual(['a', 'b'])
    expect(filterEntries(list, { ...emptyFilters(), showDeleted: true }).map((e) => e.id)).toEqual(['a', 'b', 'c'])
  })
  it('filters by kind, tag (any case, with #), author, time and observable', () => {
    const f = emptyFilters()
    expect(filterEntries(list, { ...f, kinds: ['file'] }).map((e) => e.id)).toEqual(['b'])
    expect(filterEntries(list, { ...f, tag: '#impact DETECTED' }).map((e) => e.id)).toEqual(['a'])
    expect(filterEntries(list, { ...f, author: 'ben' }).map((e) => e.id)).toEqual(['b'])
    expect(filterEntries(list, { ...f, since: '2026-11-22T00:00:00Z' }).map((e) => e.id)).toEqual(['b'])
    expect(filterEntries(list, { ...f, until: '2026-11-22T00:00:00Z' }).map((e) => e.id)).toEqual(['a'])
    expect(filterEntries(list, { ...f, onlyIDs: ['b', 'c'] }).map((e) => e.id)).toEqual(['b'])
  })
})

describe('groupByDay', () => {
  it('puts a day header before each day, in UTC', () => {
    const rows = groupByDay(list, 'utc', false)
    expect(rows.map((r) => (r.type === 'day' ? r.key : r.entry.id))).toEqual(['2026-11-21', 'a', '2026-11-22', 'b', 'c'])
  })
  it('reverses for newest first', () => {
    const rows = groupByDay(list, 'utc', true)
    expect(rows.map((r) => (r.type === 'day' ? r.key : r.entry.id))).toEqual(['2026-11-22', 'c', 'b', '2026-11-21', 'a'])
  })
})
