import { describe, expect, it } from 'vitest'
import { Latest } from './latest'

describe('Latest', () => {
  it('says only the newest call is current', () => {
    const calls = new Latest()
    const first = calls.next()
    expect(first()).toBe(true)
    const second = calls.next()
    expect(first()).toBe(false)
    expect(second()).toBe(true)
  })

  it('same() holds until the next call starts', () => {
    const calls = new Latest()
    calls.next()
    const more = calls.same()
    expect(more()).toBe(true)
    calls.next()
    expect(more()).toBe(false)
  })
})
