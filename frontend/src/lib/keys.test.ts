import { describe, it, expect } from 'vitest'
import { actionFor } from './keys'

function press(key: string, target: HTMLElement, mods: Partial<KeyboardEvent> = {}) {
  const e = new KeyboardEvent('keydown', { key, ...mods })
  Object.defineProperty(e, 'target', { value: target })
  return actionFor(e)
}

describe('actionFor', () => {
  it('maps keys to actions outside text fields', () => {
    expect(press('n', document.body)).toBe('note')
    expect(press('?', document.body)).toBe('help')
    expect(press('N', document.body)).toBe('newIncident')
  })
  it('lets text fields have their keys', () => {
    expect(press('n', document.createElement('textarea'))).toBe('')
    expect(press('/', document.createElement('input'))).toBe('')
  })
  it('still works after a checkbox was clicked', () => {
    const box = document.createElement('input')
    box.type = 'checkbox'
    expect(press('/', box)).toBe('search')
  })
  it('ignores combinations with modifiers', () => {
    expect(press('n', document.body, { ctrlKey: true })).toBe('')
  })
})
