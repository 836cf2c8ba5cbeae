// The one place that talks to Go. A bound method's error arrives as {code, message, field}
// (app.FormatError); every call here turns it into a BlotterError, so that components show
// err.message and act on err.code (a conflict reloads what changed under the user).
import * as Incidents from './wailsjs/go/app/Incidents'
import * as Timeline from './wailsjs/go/app/Timeline'
import * as Evidence from './wailsjs/go/app/Evidence'
import * as Capture from './wailsjs/go/app/Capture'
import * as System from './wailsjs/go/app/System'
import * as Window from './wailsjs/go/app/Window'
import * as Tasks from './wailsjs/go/app/Tasks'
import * as Sync from './wailsjs/go/app/Sync'
import * as Slack from './wailsjs/go/app/Slack'
import * as Documents from './wailsjs/go/app/Documents'
import { EventsOn, BrowserOpenURL } from './wailsjs/runtime/runtime'
import type { app, blotter, recorder, syncer, version } from './wailsjs/go/models'
import { toError } from './errors'
export { BlotterError, toError, isConflict, type ErrorCode } from './errors'

export type Entry = Omit<blotter.Entry, 'occurred_at' | 'recorded_at' | 'convertValues'> & {
  occurred_at: string
  recorded_at: string
}
export type Incident = Omit<blotter.Incident, 'created_at' | 'convertValues'> & { created_at: string }
export type Revision = blotter.Revision
export type ObservableUse = blotter.ObservableUse
export type VerifyResult = recorder.VerifyResult
export type EvidenceFile = blotter.Evidence
export type TextExcerpt = app.TextExcerpt
export type AttachResult = Omit<app.AttachResult, 'entry' | 'convertValues'> & { entry?: Entry }
export type HistoryItem = { revision: Revision; entry: Entry }
export type Snapshot = { incident: Incident | null; entries: Entry[]; cursor: number }
export type ChangeSet = { entries: Entry[]; cursor: number }
export type Settings = app.Settings
export type Hotkey = app.Hotkey
export type VersionInfo = version.Info
export type TaskStatus = 'todo' | 'doing' | 'blocked' | 'done'
export type Task = Omit<blotter.Task, 'status'> & { status: TaskStatus }
export type TaskInput = { title: string; description?: string; assignee?: string; due_at?: string; status?: TaskStatus; links?: string[] }
export type WindowMode = 'full' | 'side' | 'box'
export type WindowState = Omit<app.WindowState, 'mode' | 'convertValues'> & { mode: WindowMode | '' }
export type EditInput = { text?: string; occurred_at?: string; tags?: string[] }
export type SyncStatus = 'local' | 'synced' | 'pending' | 'offline' | 'failing' | 'stopped'
export type SyncState = Omit<syncer.State, 'status' | 'last_success' | 'convertValues'> & { status: SyncStatus; last_success: string }
export type SyncPanel = Omit<app.SyncPanel, 'state' | 'convertValues'> & { state: SyncState }
export type GitLabIncident = syncer.GitLabIncident
export type SlackPolicy = 'all' | 'tagged' | 'none'
export type SlackStatus = Omit<syncer.SlackStatus, 'policy' | 'convertValues'> & { policy: SlackPolicy | '' }
export type SlackChannel = syncer.SlackChannel
export type SlackImport = syncer.ImportResult
export type DocumentKind = 'rca' | 'runbook'
export type IncidentDocument = blotter.Document
export type Published = syncer.Published

async function call<T>(p: Promise<unknown>): Promise<T> {
  try {
    return (await p) as T
  } catch (e) {
    throw toError(e)
  }
}

export const api = {
  listIncidents: () => call<Incident[]>(Incidents.List()),
  activeIncident: () => call<Incident | null>(Incidents.Active()),
  createIncident: (title: string, severity: string) => call<Incident>(Incidents.Create(title, severity)),
  useIncident: (id: string) => call<Incident>(Incidents.Use(id)),
  updateIncident: (id: string, upd: { title?: string; severity?: string; status?: string }, reason: string) =>
    call<Incident>(Incidents.Update(id, upd as blotter.IncidentUpdate, reason)),

  loadTimeline: () => call<Snapshot>(Timeline.Load()),
  loadRecent: (n: number) => call<Snapshot>(Timeline.LoadRecent(n)),
  changes: (incidentID: string, cursor: number) => call<ChangeSet>(Timeline.Changes(incidentID, cursor)),
  addNote: (text: string, occurredAt: string, tags: string[] = []) =>
    call<Entry>(Timeline.AddNote({ text, occurred_at: occurredAt, tags } as app.NoteInput)),
  editEntry: (id: string, input: EditInput, reason: string) =>
    call<Entry>(Timeline.Edit(id, input as app.EditInput, reason)),
  deleteEntry: (id: string, reason: string) => call<Entry>(Timeline.Delete(id, reason)),
  restoreEntry: (id: string, reason: string) => call<Entry>(Timeline.Restore(id, reason)),
  history: (id: string) => call<HistoryItem[]>(Timeline.History(id)),
  search: (query: string, before = '') => call<Entry[]>(Timeline.Search(query, before)),
  searchCount: (query: string) => call<number>(Timeline.SearchCount(query)),
  observables: () => call<ObservableUse[]>(Timeline.Observables()),

  attach: (paths: string[]) => call<AttachResult[]>(Evidence.Attach(paths)),
  reveal: (sha: string) => call<string>(Evidence.Reveal(sha)), // what was done, for the user
  evidenceText: (sha: string, max: number) => call<TextExcerpt>(Evidence.Text(sha, max)),
  captureClipboard: () => call<Entry>(Capture.Clipboard()),
  captureScreenshot: () => call<Entry>(Capture.Screenshot()),
  clipboardWatch: () => call<boolean>(Capture.ClipboardWatch()),
  setClipboardWatch: (on: boolean) => call<boolean>(Capture.SetClipboardWatch(on)),
  screenshotAllScreens: () => call<boolean>(Capture.ScreenshotAllScreens()),
  setScreenshotAllScreens: (all: boolean) => call<void>(Capture.SetScreenshotAllScreens(all)),
  evidenceURL: (sha: string) => `/evidence/${sha}`,

  verify: () => call<VerifyResult>(System.Verify()),
  settings: () => call<Settings>(System.Settings()),
  setAuthor: (name: string) => call<void>(System.SetAuthor(name)),
  watchedFolders: () => call<string[]>(System.WatchedFolders()),
  addWatchedFolder: (dir: string) => call<string[]>(System.AddWatchedFolder(dir)),
  removeWatchedFolder: (dir: string) => call<string[]>(System.RemoveWatchedFolder(dir)),
  hotkeys: () => call<Hotkey[]>(System.Hotkeys()),
  setHotkey: (action: string, combo: string) => call<Hotkey[]>(System.SetHotkey(action, combo)),
  hotkeysAdvice: () => call<string>(System.HotkeysAdvice()),
  screenshotAdvice: () => call<string>(System.ScreenshotAdvice()),
  version: () => call<VersionInfo>(System.Version()),
  autostart: () => call<boolean>(System.Autostart()),
  setAutostart: (on: boolean) => call<void>(System.SetAutostart(on)),

  listTasks: () => call<Task[]>(Tasks.List()),
  addTask: (input: TaskInput) => call<Task>(Tasks.Add(input as app.TaskInput)),
  taskFromEntry: (entryID: string) => call<Task>(Tasks.FromEntry(entryID)),
  moveTask: (id: string, status: TaskStatus, rank: number, reason = '') => call<Task>(Tasks.Move(id, status, rank, reason)),
  editTask: (id: string, input: TaskInput) => call<Task>(Tasks.Edit(id, input as app.TaskInput)),

  syncState: () => call<SyncState>(Sync.State()),
  syncPanel: () => call<SyncPanel>(Sync.Panel()),
  syncRetry: (id = 0) => call<number>(Sync.Retry(id)),
  syncConnect: (url: string, project: string, token = '') => call<SyncState>(Sync.Connect(url, project, token)),
  syncLinkNew: () => call<GitLabIncident>(Sync.LinkNew()),
  syncLink: (issue: string) => call<GitLabIncident>(Sync.Link(issue)),
  syncJoin: (issue: string) => call<Incident>(Sync.Join(issue)),
  syncSetComments: (on: boolean) => call<void>(Sync.SetComments(on)),
  syncDisconnect: () => call<void>(Sync.Disconnect()),

  slackStatus: () => call<SlackStatus>(Slack.Status()),
  slackConnect: (botToken: string, appToken: string) => call<SlackStatus>(Slack.Connect(botToken, appToken)),
  slackDisconnect: () => call<void>(Slack.Disconnect()),
  slackLinkNew: () => call<SlackChannel>(Slack.LinkNew()),
  slackLink: (channel: string) => call<SlackChannel>(Slack.Link(channel)),
  slackSetPolicy: (policy: SlackPolicy) => call<void>(Slack.SetPolicy(policy)),
  slackSetPinReaction: (name: string) => call<void>(Slack.SetPinReaction(name)),
  slackUpdate: (text: string) => call<Entry>(Slack.Update(text)),
  slackImport: (since = '') => call<SlackImport>(Slack.Import(since)),

  documentDraft: (kind: DocumentKind) => call<string>(Documents.Draft(kind)),
  documentGet: (kind: DocumentKind) => call<IncidentDocument | null>(Documents.Get(kind)),
  documentSave: (kind: DocumentKind, body: string, base: number, reason = '') => call<IncidentDocument>(Documents.Save(kind, body, base, reason)),
  documentPublish: (kind: DocumentKind) => call<Published>(Documents.Publish(kind)),

  windowState: () => call<WindowState>(Window.State()),
  setWindowMode: (mode: 'full' | 'side') => call<WindowState>(Window.SetMode(mode)),
  placeSide: (screen: string, edge: 'left' | 'right') => call<WindowState>(Window.PlaceSide(screen, edge)),
  endQuickNote: () => call<void>(Window.EndQuickNote()),
  quickNoteReady: () => call<void>(Window.QuickNoteReady()),

  openURL: (url: string) => BrowserOpenURL(url),
  on: (event: string, fn: (...data: any[]) => void) => EventsOn(event, fn),
}
