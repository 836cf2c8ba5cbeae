import { describe, expect, it } from 'vitest'
import { BlotterError, isConflict, toError } from './errors'

describe('toError', () => {
  it('keeps the code, message and field that app.FormatError sends', () => {
    const e = toError({ code: 'invalid', message: 'a blocked task needs what it waits on', field: 'waits_on' })
    expect(e).toBeInstanceOf(BlotterError)
    expect([e.code, e.message, e.field]).toEqual(['invalid', 'a blocked task needs what it waits on', 'waits_on'])
  })
  it('tells a conflict from the rest', () => {
    expect(isConflict(toError({ code: 'conflict', message: 'the entry is deleted already' }))).toBe(true)
    expect(isConflict(toError({ code: 'not_found', message: 'no entry' }))).toBe(false)
  })
  it('reads a plain string or Error as an internal error', () => {
    expect(toError('boom').code).toBe('internal')
    expect(toError(new Error('net down')).message).toBe('net down')
    expect(isConflict('conflict')).toBe(false)
  })
})
