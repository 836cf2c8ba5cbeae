// What the evidence viewer decides: how a file is shown, and the zoom steps of an image.

/** How much of a file the viewer shows as text (what it asks Evidence.Text for). */
export const TEXT_LIMIT = 1 << 20
export const TEXT_LIMIT_LABEL = '1 MiB'

/** isImage says whether a file is shown as an image. SVG never is: drawn, it could run the
 * script it holds (and the view's evidence handler refuses to serve it as an image anyway); it
 * is shown as its source instead. */
export function isImage(mediaType: string): boolean {
  const t = mediaType.toLowerCase()
  return t.startsWith('image/') && !t.includes('svg')
}

/** The zoom steps: what + and − go through, from any scale (a fitted image's is anything). */
export const ZOOM_STEPS = [0.1, 0.25, 0.33, 0.5, 0.67, 0.75, 1, 1.25, 1.5, 2, 3, 4, 6, 8]

/** zoomIn gives the next step above scale (the largest when there is none). */
export function zoomIn(scale: number): number {
  return ZOOM_STEPS.find((s) => s > scale * 1.001) ?? ZOOM_STEPS[ZOOM_STEPS.length - 1]
}

/** zoomOut gives the next step below scale (the smallest when there is none). */
export function zoomOut(scale: number): number {
  return [...ZOOM_STEPS].reverse().find((s) => s < scale * 0.999) ?? ZOOM_STEPS[0]
}

/** firstLine gives the first line of an entry's text, cut to n characters. */
export function firstLine(text: string, n = 160): string {
  const line = text.split('\n', 1)[0].trim()
  return line.length > n ? line.slice(0, n - 1) + '…' : line
}
