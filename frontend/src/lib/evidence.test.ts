import { describe, it, expect } from 'vitest'
import { isImage, zoomIn, zoomOut, firstLine, ZOOM_STEPS } from './evidence'

describe('isImage', () => {
  it('shows pictures as images and never an SVG', () => {
    expect(isImage('image/png')).toBe(true)
    expect(isImage('image/jpeg')).toBe(true)
    expect(isImage('image/svg+xml')).toBe(false)
    expect(isImage('IMAGE/SVG+XML')).toBe(false)
    expect(isImage('text/xml; charset=utf-8')).toBe(false)
    expect(isImage('application/octet-stream')).toBe(false)
  })
})

describe('zoom', () => {
  it('steps up and down from a step', () => {
    expect(zoomIn(1)).toBe(1.25)
    expect(zoomOut(1)).toBe(0.75)
  })
  it('steps from a fitted scale to the nearest step that way', () => {
    expect(zoomIn(0.56)).toBe(0.67)
    expect(zoomOut(0.56)).toBe(0.5)
  })
  it('stops at the ends', () => {
    expect(zoomIn(8)).toBe(8)
    expect(zoomIn(20)).toBe(8)
    expect(zoomOut(ZOOM_STEPS[0])).toBe(ZOOM_STEPS[0])
    expect(zoomOut(0.01)).toBe(ZOOM_STEPS[0])
  })
})

describe('firstLine', () => {
  it('keeps the first line, cut', () => {
    expect(firstLine('Blocked it\nsecond line')).toBe('Blocked it')
    expect(firstLine('x'.repeat(10), 5)).toBe('xxxx…')
  })
})
