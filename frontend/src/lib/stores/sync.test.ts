import { describe, expect, it } from 'vitest'
import { syncLabel } from './sync.svelte'

describe('syncLabel', () => {
  const s = { pending: 3, failed: 2, last_success: '' }
  it('says the state in a few words, calmly when offline', () => {
    expect(syncLabel({ ...s, status: 'local' })).toBe('local only')
    expect(syncLabel({ ...s, status: 'synced' })).toBe('synced')
    expect(syncLabel({ ...s, status: 'pending' })).toBe('3 pending')
    expect(syncLabel({ ...s, status: 'offline' })).toBe('offline, 3 waiting')
    expect(syncLabel({ ...s, status: 'failing' })).toBe('2 failed')
    expect(syncLabel({ ...s, status: 'stopped' })).toBe('sync stopped')
  })
})
