// Errors from Go as the view sees them. Kept apart from index.ts, which imports the generated
// bindings, so that the rule can be tested without a Wails runtime.

/** The codes of internal/blotter/error.go. */
export type ErrorCode = 'conflict' | 'internal' | 'invalid' | 'not_found' | 'unavailable'

/** BlotterError is a Go error as the view sees it: what the user reads, what the view does
 * about it (code), and the input it is about (field: "reason", "waits_on", …). */
export class BlotterError extends Error {
  code: ErrorCode
  field: string
  constructor(message: string, code: ErrorCode = 'internal', field = '') {
    super(message)
    this.name = 'BlotterError'
    this.code = code
    this.field = field
  }
}

/** toError turns whatever a binding rejected with into a BlotterError. */
export function toError(e: unknown): BlotterError {
  if (e instanceof BlotterError) return e
  if (e && typeof e === 'object' && 'message' in e && 'code' in e) {
    const o = e as { message: string; code: ErrorCode; field?: string }
    return new BlotterError(String(o.message), o.code, o.field ?? '')
  }
  if (e instanceof Error) return new BlotterError(e.message)
  return new BlotterError(String(e))
}

/** isConflict tells an error that means "it changed meanwhile": the view reloads. */
export const isConflict = (e: unknown) => e instanceof BlotterError && e.code === 'conflict'
