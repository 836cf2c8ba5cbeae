import { describe, it, expect } from 'vitest'
import { actionFor, shortcuts, descriptions } from './keys'

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
  it('moves on the timeline with Home, End and the page keys, but not in a field', () => {
    expect(press('Home', document.body)).toBe('first')
    expect(press('End', document.body)).toBe('last')
    expect(press('PageDown', document.body)).toBe('pageDown')
    expect(press('PageUp', document.body)).toBe('pageUp')
    expect(press('a', document.body)).toBe('jump')
    expect(press('End', document.createElement('input'))).toBe('')
    expect(press('a', document.createElement('textarea'))).toBe('')
  })
  it('has one action per key, each described', () => {
    expect(new Set(shortcuts.map((s) => s.key)).size).toBe(shortcuts.length)
    for (const s of shortcuts) expect(descriptions[s.action], s.action).toBeTruthy()
  })
  it('ignores combinations with modifiers', () => {
    expect(press('n', document.body, { ctrlKey: true })).toBe('')
  })
})
