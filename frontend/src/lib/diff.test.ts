import { describe, it, expect } from 'vitest'
import { diffWords } from './diff'

describe('diffWords', () => {
  it('marks removed and added words', () => {
    expect(diffWords('blocked the host', 'blocked both hosts')).toEqual([
      { kind: 'same', text: 'blocked ' },
      { kind: 'removed', text: 'the' },
      { kind: 'added', text: 'both' },
      { kind: 'same', text: ' ' },
      { kind: 'removed', text: 'host' },
      { kind: 'added', text: 'hosts' },
    ])
  })
  it('reports no change as one piece', () => {
    expect(diffWords('same text', 'same text')).toEqual([{ kind: 'same', text: 'same text' }])
  })
})
