// The active incident's timeline: every entry (deleted ones too), kept current by change
// events from the Go side, which reports commits from any process (the CLI included).
import { api, type Entry, type Incident, type Snapshot } from '../api'

// How many of the newest entries the first paint shows, before the whole timeline arrives.
const RECENT = 300
import { EventDataChanged } from '../api/events'
import { dayKey, type Zone } from '../time'

export type Row = { type: 'day'; key: string } | { type: 'entry'; entry: Entry }

export type Filters = {
  kinds: string[]
  tag: string
  author: string
  since: string // ISO or ''
  until: string
  showDeleted: boolean
  onlyIDs: string[] | null // an observable's entries
  onlyLabel: string
}

export const emptyFilters = (): Filters => ({
  kinds: [], tag: '', author: '', since: '', until: '', showDeleted: false, onlyIDs: null, onlyLabel: '',
})

function byTime(a: Entry, b: Entry) {
  return a.occurred_at < b.occurred_at ? -1 : a.occurred_at > b.occurred_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** filterEntries applies the filters; exported for unit tests. */
export function filterEntries(entries: Entry[], f: Filters): Entry[] {
  const only = f.onlyIDs ? new Set(f.onlyIDs) : null
  const tag = f.tag.replace(/^#/, '').toLowerCase()
  return entries.filter((e) =>
    (f.showDeleted || !e.deleted) &&
    (f.kinds.length === 0 || f.kinds.includes(e.kind)) &&
    (!tag || e.tags.some((t) => t.toLowerCase() === tag)) &&
    (!f.author || e.author === f.author) &&
    (!f.since || e.occurred_at >= new Date(f.since).toISOString()) &&
    (!f.until || e.occurred_at < new Date(f.until).toISOString()) &&
    (!only || only.has(e.id)))
}

/** groupByDay turns entries into rows with a day header before each new day. */
export function groupByDay(entries: Entry[], zone: Zone, newestFirst: boolean): Row[] {
  const list = newestFirst ? [...entries].reverse() : entries
  const rows: Row[] = []
  let last = ''
  for (const entry of list) {
    const key = dayKey(entry.occurred_at, zone)
    if (key !== last) {
      rows.push({ type: 'day', key })
      last = key
    }
    rows.push({ type: 'entry', entry })
  }
  return rows
}

class TimelineStore {
  incident = $state<Incident | null>(null)
  entries = $state.raw<Entry[]>([])
  loading = $state(true)
  error = $state('')
  private cursor = 0
  private refreshing: Promise<void> | null = null
  private again = false
  private followers = new Set<(changed: Entry[] | null) => void>()

  /** onChange calls fn with the entries each refresh brought, or null when the timeline was
   * loaded anew (another incident): what depends on the record (the task board, whose every
   * change is a task entry) reloads only when it must. Returns the unsubscribe. */
  onChange(fn: (changed: Entry[] | null) => void) {
    this.followers.add(fn)
    return () => this.followers.delete(fn)
  }

  /** load reads the active incident's timeline: the newest entries first, so that the view
   * shows something at once, then all of them. */
  async load() {
    this.loading = true
    try {
      const recent = await api.loadRecent(RECENT)
      this.apply(recent)
      if (recent.entries.length === RECENT) {
        // Let the first page paint before the whole timeline arrives and is parsed.
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))
        this.apply(await api.loadTimeline())
      }
      this.error = ''
    } catch (e) {
      this.error = (e as Error).message
    } finally {
      this.loading = false
    }
  }

  private apply(snap: Snapshot) {
    if (snap.incident?.id !== this.incident?.id || !this.incident) this.followers.forEach((fn) => fn(null))
    this.incident = snap.incident
    this.entries = [...snap.entries].sort(byTime)
    this.cursor = snap.cursor
  }

  /** refresh merges what changed since the last load or refresh; calls made meanwhile coalesce. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true
      return this.refreshing
    }
    this.refreshing = (async () => {
      do {
        this.again = false
        if (!this.incident) {
          await this.load()
          continue
        }
        const active = await api.activeIncident()
        if (!active || active.id !== this.incident.id) {
          await this.load() // another process switched the incident
          continue
        }
        this.incident = active
        const changes = await api.changes(this.incident.id, this.cursor)
        this.cursor = changes.cursor
        if (changes.entries.length > 0) {
          this.merge(changes.entries)
          this.followers.forEach((fn) => fn(changes.entries))
        }
      } while (this.again)
    })().finally(() => (this.refreshing = null))
    return this.refreshing
  }

  /** merge puts new or changed entries in place, keeping time order. */
  merge(changed: Entry[]) {
    const byID = new Map(this.entries.map((e) => [e.id, e]))
    for (const e of changed) byID.set(e.id, e)
    this.entries = [...byID.values()].sort(byTime)
  }

  listen() {
    return api.on(EventDataChanged, () => void this.refresh())
  }

  async addNote(text: string, occurredAt: string) {
    const e = await api.addNote(text, occurredAt)
    this.merge([e])
    return e
  }
}

export const timeline = new TimelineStore()
