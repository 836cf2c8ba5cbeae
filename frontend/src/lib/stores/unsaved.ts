// Unsaved RCA and runbook text, per incident and document. The document view is not kept while
// the user looks at another tab, and a save refused because someone saved meanwhile reloads the
// saved revision: the words typed must survive both, and a reload of the window. Kept in memory
// and mirrored in localStorage where it works.
const memory = new Map<string, string>()
const prefix = 'blotter.unsaved.'

const keyOf = (incident: string, kind: string) => `${incident}/${kind}`

export const unsavedDocuments = {
  /** get returns the unsaved text of the incident's document, if there is any. */
  get(incident: string, kind: string): string | undefined {
    const key = keyOf(incident, kind)
    if (memory.has(key)) return memory.get(key)
    try {
      return localStorage.getItem(prefix + key) ?? undefined
    } catch {
      return undefined
    }
  },

  /** keep remembers body as the unsaved text, or forgets it when it is the saved text. */
  keep(incident: string, kind: string, body: string, savedBody: string) {
    const key = keyOf(incident, kind)
    try {
      if (body === savedBody) {
        memory.delete(key)
        localStorage.removeItem(prefix + key)
      } else {
        memory.set(key, body)
        localStorage.setItem(prefix + key, body)
      }
    } catch {
      // private mode or a full store: kept in memory for this session only
    }
  },
}
