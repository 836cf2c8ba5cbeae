// The settings the view shows or depends on (the author, for "only mine" and the side window's
// tasks). They are read again whenever they may have changed: here in Settings, or in another
// process (blotter config set author …), which the Go side reports as EventSettingsChanged.
import { api } from '../api'
import { EventSettingsChanged } from '../api/events'

class SettingsStore {
  author = $state('')
  dataDir = $state('')

  async load() {
    try {
      const s = await api.settings()
      this.author = s.author
      this.dataDir = s.data_dir
    } catch {
      // the next change event tries again; the view keeps what it had
    }
  }

  /** setAuthor changes the name changes are recorded under, and shows it at once. */
  async setAuthor(name: string) {
    await api.setAuthor(name)
    await this.load()
  }

  listen() {
    return api.on(EventSettingsChanged, () => void this.load())
  }
}

export const settings = new SettingsStore()
