// End-to-end: the real frontend in Chromium, the real Go services behind it, a real SQLite
// file, and the CLI writing to the same file as a second process. Every test has its own data
// dir, harness and page (freshApp), seeded with what it needs; only Chromium is shared.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { writeFileSync, mkdirSync, rmSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { checkedIs, cli, freshApp, launch, refuseChange, until } from './harness.mjs'

let browser

before(async () => {
  browser = await launch()
})

after(() => browser?.close())

// seed makes the incident every test starts from: three notes, half an hour of it. It returns
// the notes' ids.
function seed(dataDir) {
  cli(dataDir, 'config', 'set', 'author', 'Ana')
  cli(dataDir, 'incident', 'new', 'Credential stuffing on SSO', '--severity', 'critical')
  return {
    alert: cli(dataDir, 'note', '--at', '-30m', 'PagerDuty fired for SSO error rate'),
    logins: cli(dataDir, 'note', '--at', '-20m', 'Login failures from 203.0.113.7 and 198.51.100.23'),
    block: cli(dataDir, 'note', '--at', '-10m', 'Blocked 203.0.113.7 at the edge'),
  }
}

// seedWorked is seed and then, through the CLI, what the responders do in the app in the tests
// below: a tagged note, the block revised to name the second address, and the alert deleted
// and restored. Four entries on the timeline, two of them naming 198.51.100.23.
function seedWorked(dataDir) {
  const ids = seed(dataDir)
  cli(dataDir, 'note', 'Rotated the SSO signing key #containment')
  cli(dataDir, 'edit', ids.block, '--text', 'Blocked 203.0.113.7 and 198.51.100.23 at the edge', '--reason', 'second address')
  cli(dataDir, 'rm', ids.alert, '--reason', 'duplicate of the alert channel')
  cli(dataDir, 'restore', ids.alert, '--reason', 'not a duplicate')
}

// open gives the test the app over a new data dir filled by seedWith, with the helpers bound to
// its page and data dir.
async function open(t, seedWith = seed, harnessOptions = {}) {
  const app = await freshApp(t, browser, seedWith, undefined, harnessOptions)
  const entries = () => app.page.getByTestId('entry')
  return {
    ...app,
    entries,
    entryWith: (text) => entries().filter({ hasText: text }),
    timeline: () => JSON.parse(cli(app.dataDir, 'timeline', '--json', '--all')),
  }
}

// expectCount waits until the locator matches n elements: the view updates after the action
// that changes it, not at once.
async function expectCount(locator, n, timeout = 5000) {
  const deadline = Date.now() + timeout
  let count
  while ((count = await locator.count()) !== n && Date.now() < deadline) await sleep(50)
  assert.equal(count, n)
}

test('the timeline shows the incident and its entries', async (t) => {
  const { page, entries } = await open(t)
  assert.equal(await page.getByTestId('incident-title').textContent(), 'Credential stuffing on SSO')
  await expectCount(entries(), 3)
  assert.match(await entries().first().locator('time').textContent(), /^\d\d:\d\d:\d\d UTC$/)
})

test('a note typed in the app is stored with the time typing started', async (t) => {
  const { page, entryWith, timeline } = await open(t)
  await page.keyboard.press('n')
  const before = Date.now()
  await page.keyboard.type('Rotated the SSO signing key #containment')
  assert.match(await page.getByTestId('note-time').textContent(), /^at \d\d:\d\d:\d\d UTC$/)
  await page.waitForTimeout(300) // saving later must not move the entry's time
  await page.keyboard.press('Enter')
  await entryWith('Rotated the SSO signing key').waitFor()
  const stored = timeline().find((e) => e.text.startsWith('Rotated'))
  assert.ok(stored, 'the note is in the database')
  assert.deepEqual(stored.tags, ['containment'])
  const occurred = Date.parse(stored.occurred_at)
  assert.ok(occurred >= before - 50 && occurred <= before + 250, `occurred_at ${stored.occurred_at} is when typing started`)
  assert.ok(Date.parse(stored.recorded_at) - occurred >= 250, 'recorded_at is when it was saved')
  assert.equal(await page.getByTestId('note-input').inputValue(), '', 'the box is empty again')
})

test('editing asks for a reason and the history shows the change', async (t) => {
  const { page, entryWith } = await open(t)
  await entryWith('Blocked 203.0.113.7').click()
  await page.keyboard.press('e')
  await page.getByTestId('edit-text').fill('Blocked 203.0.113.7 and 198.51.100.23 at the edge')
  await page.getByRole('button', { name: 'Save revision' }).click()
  // The reason is required: the dialog stays open.
  assert.equal(await page.getByTestId('edit-reason').isVisible(), true)
  await page.getByTestId('edit-reason').fill('second address')
  await page.getByRole('button', { name: 'Save revision' }).click()
  await entryWith('and 198.51.100.23 at the edge').waitFor()
  assert.match(await entryWith('and 198.51.100.23 at the edge').textContent(), /rev 2/)

  await page.keyboard.press('h')
  const revisions = page.getByTestId('revision')
  await revisions.nth(1).waitFor()
  assert.equal(await revisions.count(), 2)
  const second = await revisions.nth(1).textContent()
  assert.match(second, /edit by Ana/)
  assert.match(second, /second address/)
  assert.equal(await revisions.nth(1).locator('.added').first().textContent(), 'and 198.51.100.23 ')
  await page.keyboard.press('Escape')
})

test('delete hides an entry behind "show deleted"; restore brings it back', async (t) => {
  const { page, entryWith, timeline } = await open(t)
  await entryWith('PagerDuty fired').click()
  await page.keyboard.press('Delete')
  await page.getByTestId('reason-input').fill('duplicate of the alert channel')
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
  await entryWith('PagerDuty fired').waitFor({ state: 'detached' })
  assert.equal(timeline().find((e) => e.text.startsWith('PagerDuty')).deleted, true)

  await page.getByTestId('show-deleted').check()
  const gone = entryWith('PagerDuty fired')
  await gone.waitFor()
  assert.match(await gone.textContent(), /deleted/)
  await gone.getByRole('button', { name: 'Restore' }).click()
  await page.getByTestId('reason-input').fill('not a duplicate')
  await page.getByRole('dialog').getByRole('button', { name: 'Restore' }).click()
  await page.getByTestId('show-deleted').uncheck()
  await entryWith('PagerDuty fired').waitFor()
  assert.equal(timeline().find((e) => e.text.startsWith('PagerDuty')).deleted, false)
})

test('deleting an entry that another process deleted meanwhile reloads and says so', async (t) => {
  const { page, dataDir, entryWith } = await open(t)
  const id = cli(dataDir, 'note', 'noise from the scanner')
  await entryWith('noise from the scanner').click()
  await page.keyboard.press('Delete')
  await page.getByTestId('reason-input').fill('noise')
  cli(dataDir, 'rm', id, '--reason', 'removed in a terminal first') // the conflict
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
  await page.getByText(/deleted already.*it changed meanwhile; the timeline was reloaded/).waitFor()
  await entryWith('noise from the scanner').waitFor({ state: 'detached' })
  await page.getByRole('dialog').waitFor({ state: 'detached' }) // the dialog closed
})

test('Esc leaves the search box; ? lists the global hotkeys too; the board shows no timeline-only buttons', async (t) => {
  const { page } = await open(t)
  await page.keyboard.press('/')
  await page.keyboard.type('login')
  await page.keyboard.press('Escape')
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), null, 'the focus left the search box')
  await page.keyboard.press('?')
  const hotkeys = page.getByTestId('help-hotkeys')
  await hotkeys.waitFor()
  assert.match(await hotkeys.textContent(), /ctrl\+alt\+n.*Quick-note box/i)
  await page.keyboard.press('Escape')
  await page.getByTestId('tab-board').click()
  await page.getByTestId('board').waitFor() // counted before the board is drawn, they would still be there
  for (const id of ['zone', 'order', 'observables-toggle']) assert.equal(await page.getByTestId(id).count(), 0, id + ' on the board')
  await page.getByTestId('tab-overview').click()
  await page.getByTestId('zone').waitFor() // the chart follows the zone (the overview loads its chunk first)
})

test('search finds entries and highlights the words', async (t) => {
  const { page, entries } = await open(t, seedWorked)
  await page.keyboard.press('/')
  await page.keyboard.type('login')
  await page.keyboard.press('Enter')
  await page.getByTestId('search-count').waitFor()
  assert.equal(await page.getByTestId('search-count').textContent(), '1 match for “login”')
  await expectCount(entries(), 1)
  assert.equal(await entries().first().locator('mark').first().textContent(), 'Login')
  await page.getByTestId('search-input').press('Escape')
  await page.getByTestId('search-count').waitFor({ state: 'detached' })
  await expectCount(entries(), 4)
})

test('clicking an observable filters the timeline to the entries that mention it', async (t) => {
  const { page, entries } = await open(t, seedWorked)
  const panel = page.getByTestId('observables')
  await panel.getByRole('button', { name: '198.51.100.23' }).click()
  await page.getByTestId('clear-observable').waitFor()
  await expectCount(entries(), 2)
  for (const text of await entries().allTextContents()) assert.match(text, /198\.51\.100\.23/)
  await page.getByTestId('clear-observable').click()
  await expectCount(entries(), 4)
})

test('a note added with the CLI appears without a reload', async (t) => {
  const { dataDir, entryWith } = await open(t)
  cli(dataDir, 'note', 'Written from a terminal by the second responder')
  await entryWith('Written from a terminal').waitFor({ timeout: 5000 })
})

test('files dropped on the window become evidence; refusals are explained', async (t) => {
  const { page, dataDir, entryWith } = await open(t)
  const file = join(dataDir, 'access.log')
  writeFileSync(file, 'GET /admin 403\n')
  await page.evaluate(async (paths) => {
    await fetch('/__bridge/drop', { method: 'POST', body: JSON.stringify(paths) })
  }, [file, dataDir])
  const ev = entryWith('access.log')
  await ev.waitFor()
  assert.match(await ev.textContent(), /15 B/)
  await page.getByText(/Not added: .* is a directory/).waitFor()

  // A symlink says where it led: the name alone could hide what was taken in.
  const link = join(dataDir, 'innocent.png')
  symlinkSync(file, link)
  await page.evaluate(async (paths) => {
    await fetch('/__bridge/drop', { method: 'POST', body: JSON.stringify(paths) })
  }, [link])
  await entryWith('innocent.png').getByTestId('link-target').filter({ hasText: '→ ' + file }).waitFor()
})

test('a folder watched from the settings puts new files on the timeline', async (t) => {
  const { page, dataDir, entryWith } = await open(t)
  const folder = join(dataDir, '..', 'blotter-e2e-screenshots-' + process.pid)
  mkdirSync(folder, { recursive: true })
  await page.keyboard.press(',')
  await page.getByTestId('watch-input').fill(join(dataDir, 'vault'))
  await page.getByRole('button', { name: 'Watch', exact: true }).click()
  await page.getByText(/Blotter's own data folder/).waitFor()
  await page.getByTestId('watch-input').fill(folder)
  await page.getByRole('button', { name: 'Watch', exact: true }).click()
  await page.getByTestId('watched-folders').getByText(folder).waitFor()
  assert.deepEqual(JSON.parse(cli(dataDir, 'watch', 'list', '--json')), [folder])
  await page.keyboard.press('Escape')

  writeFileSync(join(folder, 'Screenshot from 2026-11-22.png.part'), 'partial')
  writeFileSync(join(folder, 'firewall-export.csv'), 'src,dst\n203.0.113.7,10.0.0.5\n')
  await entryWith('firewall-export.csv').waitFor({ timeout: 10000 })
  assert.equal(await entryWith('.part').count(), 0)
  rmSync(folder, { recursive: true, force: true })
})

test('Markdown from outside stays inert', async (t) => {
  const { page, dataDir, entryWith } = await open(t)
  const requests = []
  page.on('request', (r) => requests.push(r.url()))
  const payloads = [
    '<img src=x onerror="window.__xss=1">',
    '<script>window.__xss=2</script>',
    '[click me](javascript:window.__xss=3)',
    '![pixel](https://tracker.example.com/p.gif)',
    '<iframe src="https://evil.example.com"></iframe><svg onload="window.__xss=4"></svg>',
  ]
  cli(dataDir, 'note', payloads.join('\n\n'))
  const entry = entryWith('click me')
  await entry.waitFor()
  await entry.getByRole('link', { name: 'click me' }).count().then((n) => assert.equal(n, 0, 'no javascript: link'))
  await page.waitForTimeout(300)
  assert.equal(await page.evaluate(() => window.__xss), undefined)
  assert.equal(await entry.locator('img, script, iframe, svg, [onerror], [onload]').count(), 0)
  assert.deepEqual(requests.filter((u) => !u.startsWith('http://127.0.0.1')), [])
})

test('text that holds a secret is flagged', async (t) => {
  const { dataDir, entryWith } = await open(t)
  cli(dataDir, 'note', 'Pasted from the attacker tool: AKIAIOSFODNN7EXAMPLE')
  const entry = entryWith('Pasted from the attacker tool')
  await entry.waitFor()
  assert.equal(await entry.getByTestId('secret-flag').textContent(), '⚠ holds aws-access-key')
})

test('incidents can be created and switched', async (t) => {
  const { page, entryWith } = await open(t, seedWorked)
  await page.getByRole('button', { name: 'New incident' }).first().click()
  await page.getByLabel('Title').fill('Phishing wave')
  await page.getByRole('button', { name: 'Start incident' }).click()
  await page.getByTestId('incident-title').filter({ hasText: 'Phishing wave' }).waitFor()
  await page.getByTestId('timeline-empty').waitFor()

  await page.keyboard.press('i')
  await page.getByRole('button', { name: /Credential stuffing on SSO/ }).click()
  await page.getByTestId('incident-title').filter({ hasText: 'Credential stuffing on SSO' }).waitFor()
  await entryWith('Rotated the SSO signing key').waitFor()
})

test('verify says plainly that the record checks out', async (t) => {
  const { page, errors } = await open(t, seedWorked)
  await page.getByTestId('verify').click()
  assert.equal(await page.getByTestId('verify-verdict').textContent(), '✔ The record checks out.')
  await page.keyboard.press('Escape')
  assert.deepEqual(errors, [])
})

test('the sync panel connects GitLab, links the incident, and the header says when it is synced', async (t) => {
  const { page, dataDir, harness } = await open(t, seed, { fakeGitLab: true })
  const state = page.getByTestId('sync-state')
  await state.filter({ hasText: 'local only' }).waitFor()
  // Settings lead to the same panel.
  await page.getByTestId('settings').click()
  await page.getByTestId('settings-sync').click()
  await page.getByRole('dialog', { name: 'Sync with GitLab' }).waitFor()
  await page.keyboard.press('Escape')
  await page.keyboard.press('Escape')
  await page.getByRole('dialog').waitFor({ state: 'detached' })
  await state.click()
  await page.getByTestId('sync-url').fill(harness.gitlab)
  await page.getByTestId('sync-project').fill('security/nope')
  await page.getByRole('button', { name: 'Connect' }).click()
  await page.getByText(/project/i).filter({ hasText: /nope/ }).first().waitFor() // says plainly what is wrong
  await page.getByTestId('sync-project').fill('security/incidents')
  await page.getByRole('button', { name: 'Connect' }).click()
  await page.getByText('GitLab is connected.').waitFor()
  await page.getByTestId('sync-link-new').click()
  await page.getByTestId('sync-link').filter({ hasText: 'security/incidents#1' }).waitFor()
  await page.keyboard.press('Escape')
  // The header said "synced" already after Connect (nothing was linked then), so wait for the
  // outbox itself, then for the header.
  await until('the outbox pushed', () => {
    const st = JSON.parse(cli(dataDir, 'sync', 'status', '--json'))
    assert.equal(st.failed.length, 0, JSON.stringify(st.failed))
    return st.pending === 0
  }, 15000)
  await state.filter({ hasText: /^synced$/ }).waitFor({ timeout: 15000 })
  // GitLab holds the incident, and its timeline events are the three notes.
  const res = await fetch(`${harness.gitlab}/api/graphql`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'PRIVATE-TOKEN': 'glpat-harness' },
    body: JSON.stringify({ query: 'query($p: ID!, $i: IssueID!) { project(fullPath: $p) { incidentManagementTimelineEvents(incidentId: $i) { nodes { note action } } } }', variables: { p: 'security/incidents', i: 'gid://gitlab/Issue/1000' } }),
  })
  const body = await res.json()
  const notes = (body.data?.project?.incidentManagementTimelineEvents?.nodes ?? []).filter((n) => n.action === 'comment').map((n) => n.note)
  assert.equal(notes.length, 3, JSON.stringify(body))
  assert.ok(notes.some((n) => n.includes('PagerDuty fired for SSO error rate')))

  // Joining the incident this window already holds is refused plainly; comments can be turned
  // on; disconnecting goes back to local only, the record staying.
  await state.click()
  await page.getByTestId('sync-issue').fill('1')
  await page.getByTestId('sync-join').click()
  await page.getByText(/security\/incidents#1 is linked to incident .* here already/).waitFor()
  // A refused change leaves the box as stored.
  await refuseChange(page, 'Sync.SetComments', 'sync-comments')
  await checkedIs(page, 'sync-comments', false)
  await page.getByTestId('sync-comments').check()
  await page.getByText('Comments on the GitLab incident will come onto the timeline.').waitFor()
  assert.equal(JSON.parse(cli(dataDir, 'gitlab', 'status', '--json')).comments_pulled, true)
  await page.getByTestId('sync-disconnect').click()
  await page.getByText('GitLab is disconnected; the record stays here.').waitFor()
  await page.keyboard.press('Escape')
  await state.filter({ hasText: 'local only' }).waitFor({ timeout: 15000 })
})
