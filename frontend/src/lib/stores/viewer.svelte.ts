// The evidence viewer: which file is open (one at a time, over everything), and Reveal in
// folder, which the viewer and the timeline's rows share.
import { api, type Entry, type EvidenceFile } from '../api'
import { ui } from './ui.svelte'

class ViewerStore {
  open = $state<{ entry: Entry; evidence: EvidenceFile } | null>(null)

  show(entry: Entry, evidence: EvidenceFile) {
    this.open = { entry, evidence }
  }

  close() {
    this.open = null
  }
}

export const viewer = new ViewerStore()

/** reveal shows the file in the desktop's file manager and says what was done, or why not. */
export async function reveal(ev: EvidenceFile) {
  try {
    const did = await api.reveal(ev.sha256)
    ui.toast(`${ev.name}: ${did}.`)
  } catch (e) {
    ui.toast((e as Error).message, 'error')
  }
}
