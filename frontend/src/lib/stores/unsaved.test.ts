import { describe, expect, it, beforeEach } from 'vitest'
import { unsavedDocuments } from './unsaved'

describe('unsavedDocuments', () => {
  beforeEach(() => localStorage.clear())

  it('keeps unsaved text per incident and document, and forgets it once saved', () => {
    unsavedDocuments.keep('inc-1', 'rca', 'my words', 'saved words')
    expect(unsavedDocuments.get('inc-1', 'rca')).toBe('my words')
    expect(unsavedDocuments.get('inc-1', 'runbook')).toBeUndefined()
    expect(unsavedDocuments.get('inc-2', 'rca')).toBeUndefined()
    unsavedDocuments.keep('inc-1', 'rca', 'my words', 'my words')
    expect(unsavedDocuments.get('inc-1', 'rca')).toBeUndefined()
  })

  it('finds text kept by an earlier load of the window', () => {
    localStorage.setItem('blotter.unsaved.inc-3/runbook', JSON.stringify('typed before a reload'))
    expect(unsavedDocuments.get('inc-3', 'runbook')).toBe('typed before a reload')
  })

  it('keeps an emptied document as unsaved too', () => {
    unsavedDocuments.keep('inc-4', 'rca', '', 'saved words')
    expect(unsavedDocuments.get('inc-4', 'rca')).toBe('')
  })
})
