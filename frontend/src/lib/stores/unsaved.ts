// Unsaved RCA and runbook text, per incident and document. The document view is not kept while
// the user looks at another tab, and a save refused because someone saved meanwhile reloads the
// saved revision: the words typed must survive both, and a reload of the window. Kept in memory
// and in localStorage where it works.
import { forget, keep, stored } from '../storage'

const memory = new Map<string, string>()
const keyOf = (incident: string, kind: string) => `unsaved.${incident}/${kind}`

export const unsavedDocuments = {
  /** get returns the unsaved text of the incident's document, if there is any. */
  get(incident: string, kind: string): string | undefined {
    const key = keyOf(incident, kind)
    return memory.has(key) ? memory.get(key) : (stored<string | null>(key, null) ?? undefined)
  },

  /** keep remembers body as the unsaved text, or forgets it when it is the saved text. */
  keep(incident: string, kind: string, body: string, savedBody: string) {
    const key = keyOf(incident, kind)
    if (body === savedBody) {
      memory.delete(key)
      forget(key)
    } else {
      memory.set(key, body)
      keep(key, body)
    }
  },
}
