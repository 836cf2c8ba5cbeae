// Keyboard shortcuts: one table, used by the handler and listed by the help overlay.
export type Shortcut = { key: string; label: string; action: string }

export const shortcuts: Shortcut[] = [
  { key: 'n', label: 'n', action: 'note' },
  { key: '/', label: '/', action: 'search' },
  { key: 'j', label: 'j', action: 'next' },
  { key: 'k', label: 'k', action: 'previous' },
  { key: 'Home', label: 'Home', action: 'first' },
  { key: 'End', label: 'End', action: 'last' },
  { key: 'PageUp', label: 'PgUp', action: 'pageUp' },
  { key: 'PageDown', label: 'PgDn', action: 'pageDown' },
  { key: 'a', label: 'a', action: 'jump' },
  { key: 'e', label: 'e', action: 'edit' },
  { key: 'h', label: 'h', action: 'history' },
  { key: 'Delete', label: 'Del', action: 'delete' },
  { key: 'o', label: 'o', action: 'observables' },
  { key: 'd', label: 'd', action: 'deleted' },
  { key: 'z', label: 'z', action: 'zone' },
  { key: 'r', label: 'r', action: 'order' },
  { key: 'i', label: 'i', action: 'incidents' },
  { key: 'N', label: 'Shift+N', action: 'newIncident' },
  { key: 'c', label: 'c', action: 'clipboard' },
  { key: 's', label: 's', action: 'screenshot' },
  { key: 'v', label: 'v', action: 'verify' },
  { key: ',', label: ',', action: 'settings' },
  { key: 'w', label: 'w', action: 'side' },
  { key: 't', label: 't', action: 'task' },
  { key: 'b', label: 'b', action: 'board' },
  { key: 'g', label: 'g', action: 'overview' },
  { key: '?', label: '?', action: 'help' },
]

export const descriptions: Record<string, string> = {
  note: 'Write a note (its time is taken when you start typing)',
  search: 'Search text, tags and file names',
  next: 'Select the next entry',
  previous: 'Select the previous entry',
  first: 'Select the first entry',
  last: 'Select the last entry',
  pageUp: 'Move the selection up a page',
  pageDown: 'Move the selection down a page',
  jump: 'Jump to a time (at…): 14:05, -30m, 2026-11-22 14:05',
  edit: 'Edit the selected entry (asks for a reason)',
  history: 'Show the selected entry’s history',
  delete: 'Delete the selected entry (asks for a reason)',
  observables: 'Show or hide the observables panel',
  deleted: 'Show or hide deleted entries',
  zone: 'Switch between UTC and local time',
  order: 'Newest at the top or at the bottom',
  incidents: 'Switch incident',
  newIncident: 'Start a new incident',
  clipboard: 'Put the clipboard on the timeline',
  screenshot: 'Put a screenshot of the screen under the pointer on the timeline',
  verify: 'Verify the record (hash chains and evidence)',
  settings: 'Settings: your name, watched folders, hotkeys, the side window',
  side: 'Switch between the full window and the side window',
  task: 'Make a task of the selected entry',
  board: 'Show the task board (or the timeline again)',
  overview: 'Show the incident overview: chart, milestones, durations',
  help: 'Show this help',
}

/** actionFor returns the action of a key press, or '' when it is typing, not a shortcut. */
export function actionFor(e: KeyboardEvent): string {
  if (e.ctrlKey || e.metaKey || e.altKey) return ''
  if (isTyping(e.target as HTMLElement | null)) return ''
  return shortcuts.find((s) => s.key === e.key)?.action ?? ''
}

const notTyping = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'])

/** isTyping reports whether keys go into the element as text (so they are not shortcuts). */
function isTyping(t: HTMLElement | null): boolean {
  if (!t) return false
  if (t.tagName === 'INPUT') return !notTyping.has((t as HTMLInputElement).type)
  return t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable
}
