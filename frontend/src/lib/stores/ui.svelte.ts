// View settings that outlive a session, kept in localStorage, and the passing messages.
import type { Zone } from '../time'
import { keep, stored } from '../storage'

export type Toast = { id: number; kind: 'info' | 'error'; text: string }

class UIStore {
  zone = $state<Zone>(stored('zone', 'utc'))
  newestFirst = $state<boolean>(stored('newestFirst', false))
  toasts = $state<Toast[]>([])
  private next = 1

  toggleZone() {
    this.zone = this.zone === 'utc' ? 'local' : 'utc'
    keep('zone', this.zone)
  }

  toggleOrder() {
    this.newestFirst = !this.newestFirst
    keep('newestFirst', this.newestFirst)
  }

  toast(text: string, kind: Toast['kind'] = 'info') {
    const id = this.next++
    this.toasts = [...this.toasts, { id, kind, text }]
    setTimeout(() => this.dismiss(id), kind === 'error' ? 9000 : 4000)
  }

  dismiss(id: number) {
    this.toasts = this.toasts.filter((t) => t.id !== id)
  }
}

export const ui = new UIStore()
