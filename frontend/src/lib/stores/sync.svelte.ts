// The sync state with GitLab, as the header shows it: the Go side syncs in the background and
// reports after every pass (EventSyncState). Offline is normal: the record is local first.
import { api, type SyncState } from '../api'
import { EventSyncState } from '../api/events'

/** syncLabel says the state in a few words for the header. */
export function syncLabel(s: SyncState): string {
  switch (s.status) {
    case 'local': return 'local only'
    case 'synced': return 'synced'
    case 'pending': return `${s.pending} pending`
    case 'offline': return `offline, ${s.pending} waiting`
    case 'failing': return `${s.failed} failed`
    case 'stopped': return 'sync stopped'
  }
  return s.status
}

class SyncStore {
  state = $state<SyncState>({ status: 'local', pending: 0, failed: 0, last_success: '' })

  async load() {
    try {
      this.state = await api.syncState()
    } catch {
      // the next event brings it
    }
  }

  listen() {
    return api.on(EventSyncState, (s: SyncState) => (this.state = s))
  }
}

export const sync = new SyncStore()
