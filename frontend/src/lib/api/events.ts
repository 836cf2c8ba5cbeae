// Event names the Go side emits; they mirror app/events.go.
export const EventDataChanged = 'data:changed'
export const EventAttachProgress = 'attach:progress'
export const EventAttachDone = 'attach:done'
export const EventWatchError = 'watch:error'
export const EventCaptureError = 'capture:error'
export const EventQuickNote = 'capture:quick-note'
export const EventSecondLaunch = 'app:second-launch'
