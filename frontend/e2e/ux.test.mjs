// End-to-end: a responder's hands (issue #14) — due times, the side window's tasks, the board
// and the timeline from the keyboard, where dialogs put the cursor, and what must not cover or
// wrap. Chromium against the real Go services; every test has its own data dir, harness and
// page (freshApp); only Chromium is shared.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cli, cliInput, freshApp, launch, until } from './harness.mjs'

let browser

before(async () => {
  browser = await launch()
})

after(() => browser?.close())


// seedBoard: Ana's incident with a few tasks: hers (due in three hours, and in fifty), Bo's,
// an unassigned overdue one and an unassigned done one.
function seedBoard(dataDir) {
  cli(dataDir, 'config', 'set', 'author', 'Ana')
  cli(dataDir, 'incident', 'new', 'Webshell on web01', '--severity', 'critical')
  cli(dataDir, 'note', '--at', '-30m', 'web01 pulled from the load balancer')
  cli(dataDir, 'task', 'add', 'Isolate web01', '--assignee', 'Ana', '--due', '+3h')
  cli(dataDir, 'task', 'add', 'Write the report', '--assignee', 'Ana', '--due', '+50h')
  cli(dataDir, 'task', 'add', 'Ask the hoster for logs', '--assignee', 'Bo')
  cli(dataDir, 'task', 'add', 'Rotate the database password', '--due', '-130m')
  const done = cli(dataDir, 'task', 'add', 'Page the on-call')
  cli(dataDir, 'task', 'move', done, 'done')
}

async function openBoard(t, seed = seedBoard, viewport = { width: 1280, height: 800 }) {
  const app = await freshApp(t, browser, seed, viewport)
  const tasks = () => JSON.parse(cli(app.dataDir, 'task', 'list', '--json'))
  return {
    ...app,
    tasks,
    task: (title) => tasks().find((x) => x.title === title),
    card: (title) => app.page.getByTestId('task').filter({ hasText: title }),
  }
}

const hhmm = (iso) => new Date(iso).toISOString().slice(11, 16)

test('due times say the date when not today and the time left; overdue is a warning', async (t) => {
  const { page, task, card } = await openBoard(t)
  await page.getByTestId('tab-board').click()
  const soon = task('Isolate web01')
  const soonText = await card('Isolate web01').getByTestId('due').textContent()
  assert.match(soonText, /· in 2 h$/, soonText) // +3h, a few seconds ago: two whole hours left
  assert.ok(soonText.includes(`${hhmm(soon.due_at)} UTC`), soonText)
  const sameDay = soon.due_at.slice(0, 10) === new Date().toISOString().slice(0, 10)
  assert.equal(/due \w{3} \d{1,2} \w{3} /.test(soonText), !sameDay, 'the date shows only when it is not today: ' + soonText)

  const later = await card('Write the report').getByTestId('due').textContent()
  assert.match(later, /^due \w{3} \d{1,2} \w{3} (\d{4} )?\d\d:\d\d UTC · in 2 d$/, later)

  const late = card('Rotate the database password').getByTestId('overdue')
  assert.match(await late.textContent(), /· 2 h overdue$/)
  const color = (loc) => loc.evaluate((el) => getComputedStyle(el).color)
  const danger = await page.evaluate(() => {
    const probe = document.body.appendChild(document.createElement('span'))
    probe.style.color = 'var(--danger)'
    const c = getComputedStyle(probe).color
    probe.remove()
    return c
  })
  assert.equal(await color(late), danger, 'overdue is in the warning colour')
  assert.notEqual(await color(card('Isolate web01').getByTestId('due')), danger)

  // The side window shows the same.
  await page.getByTestId('mode-side').click()
  const mine = page.getByTestId('my-task')
  await mine.first().waitFor()
  assert.match(await mine.filter({ hasText: 'Isolate web01' }).getByTestId('my-task-due').textContent(), /· in 2 h$/)
  assert.match(await mine.filter({ hasText: 'Rotate the database password' }).getByTestId('my-task-due').textContent(), /· 2 h overdue$/)
})

test('the side window lists my open tasks first, then the unassigned ones, labelled', async (t) => {
  const { page, dataDir } = await openBoard(t)
  await page.getByTestId('mode-side').click()
  const rows = page.getByTestId('my-tasks').getByTestId('my-task')
  await rows.first().waitFor()
  const titles = async () => (await rows.allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim())
  const list = await titles()
  assert.equal(list.length, 3, list.join(' | ')) // not Bo's, not the done one
  assert.match(list[0], /Isolate web01/)
  assert.match(list[1], /Write the report/)
  assert.match(list[2], /Rotate the database password.*unassigned/)
  assert.ok(!/unassigned/.test(list[0] + list[1]), 'mine are not labelled unassigned')
  // Taken by Ana in a terminal: it moves up among hers (overdue first) and loses the label.
  cli(dataDir, 'task', 'assign', JSON.parse(cli(dataDir, 'task', 'list', '--json')).find((x) => x.title === 'Rotate the database password').id, 'Ana')
  await until('the task taken', async () => /^To do Rotate the database password ⚠/.test((await titles())[0] ?? ''))
  assert.equal(await page.getByTestId('my-tasks').getByTestId('unassigned').count(), 0)
})

test('a focused card goes straight to Done with 4; Blocked (3) asks what it waits on', async (t) => {
  const { page, dataDir, task, card } = await openBoard(t)
  await page.getByTestId('tab-board').click()
  await card('Isolate web01').focus()
  await page.keyboard.press('4')
  await until('the task done', () => task('Isolate web01').status === 'done')
  await page.getByTestId('column-done').getByTestId('task').filter({ hasText: 'Isolate web01' }).waitFor()
  const story = JSON.parse(cli(dataDir, 'timeline', '--json')).map((e) => e.text).filter((s) => s.includes('“Isolate web01”'))
  assert.ok(story.some((s) => s.includes('from To do to Done')), story.join(' | '))
  assert.ok(!story.some((s) => s.includes('Blocked')), 'it did not pass Blocked: ' + story.join(' | '))
  // The focus stays on the moved card, so the next key moves it again.
  await until('the focus on the moved card', () => page.evaluate(() => document.activeElement?.closest('[data-testid=column-done]') && document.activeElement.textContent.includes('Isolate web01')))
  await page.keyboard.press('3')
  await page.getByTestId('reason-input').waitFor()
  await page.keyboard.type('the network team') // the cursor is in the reason field
  await page.keyboard.press('Enter')
  await until('the task blocked', () => task('Isolate web01').status === 'blocked')
  assert.equal(task('Isolate web01').blocked_reason, 'the network team')
})

test('the task dialog moves a task with its Column select, Blocked with what it waits on', async (t) => {
  const { page, task, card } = await openBoard(t)
  await page.getByTestId('tab-board').click()
  await card('Write the report').focus()
  await page.keyboard.press('Enter')
  const dialog = page.getByTestId('task-dialog')
  assert.equal(await dialog.getByTestId('task-column').inputValue(), 'todo')
  await dialog.getByTestId('task-column').selectOption({ label: 'In progress' })
  await dialog.getByRole('button', { name: 'Save' }).click()
  await dialog.waitFor({ state: 'detached' })
  await until('the task in progress', () => task('Write the report').status === 'doing')
  await page.getByTestId('column-doing').getByTestId('task').filter({ hasText: 'Write the report' }).waitFor()

  await card('Write the report').dblclick()
  await dialog.getByTestId('task-column').selectOption('blocked')
  const waitsOn = dialog.getByTestId('task-waits-on')
  assert.equal(await waitsOn.evaluate((el) => el.required && el.validity.valueMissing), true, 'Blocked asks what it waits on')
  await waitsOn.fill('legal')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await until('the task blocked', () => task('Write the report').status === 'blocked')
  assert.equal(task('Write the report').blocked_reason, 'legal')
})

// seedNotes: forty notes five minutes apart, the last five minutes ago.
function seedNotes(dataDir) {
  cli(dataDir, 'config', 'set', 'author', 'Ana')
  cli(dataDir, 'incident', 'new', 'Phishing wave', '--severity', 'high')
  for (let i = 40; i >= 1; i--) cli(dataDir, 'note', '--at', `-${i * 5}m`, `Note ${41 - i}`)
}

async function openTimeline(t) {
  const app = await freshApp(t, browser, seedNotes, { width: 1200, height: 800 })
  const entries = JSON.parse(cli(app.dataDir, 'timeline', '--json'))
  const { page } = app
  const selected = async () => {
    const id = await page.locator('[data-testid=entry].selected').getAttribute('data-id', { timeout: 2000 }).catch(() => null)
    return entries.findIndex((e) => e.id === id)
  }
  // inView: the selected entry is wholly inside the timeline's scroller.
  const inView = () => page.evaluate(() => {
    const el = document.querySelector('[data-testid=entry].selected')
    const box = document.querySelector('[data-testid=timeline]')
    if (!el || !box) return false
    const a = el.getBoundingClientRect()
    const b = box.getBoundingClientRect()
    return a.top >= b.top - 1 && a.bottom <= b.bottom + 1
  })
  return { ...app, entries, selected, inView }
}

test('Home, End and the page keys move the selection; not from a text field', async (t) => {
  const { page, entries, selected, inView } = await openTimeline(t)
  await page.keyboard.press('End')
  await until('the last entry selected', async () => (await selected()) === entries.length - 1)
  assert.ok(await until('the last entry in view', inView))
  await page.keyboard.press('Home')
  await until('the first entry selected', async () => (await selected()) === 0)
  assert.ok(await until('the first entry in view', inView))
  await page.keyboard.press('PageDown')
  const down = await until('a page down', async () => { const i = await selected(); return i > 0 && i })
  assert.ok(down >= 5, `a page is more than one entry (moved ${down})`)
  assert.ok(await until('the entry a page down in view', inView))
  await page.keyboard.press('PageDown')
  const twice = await until('another page down', async () => { const i = await selected(); return i > down && i })
  await page.keyboard.press('PageUp')
  await until('a page up', async () => twice - (await selected()) >= 5)
  assert.ok(await until('the entry a page up in view', inView))

  // In the note box the keys are the text's.
  const before = await selected()
  await page.getByTestId('note-input').click()
  await page.keyboard.type('draft')
  await page.keyboard.press('Home')
  await page.keyboard.press('End')
  assert.equal(await selected(), before)
  assert.equal(await page.getByTestId('note-input').inputValue(), 'draft')
})

test('a jumps to the entry nearest a typed time; ? lists the new keys', async (t) => {
  const { page, entries, selected, inView } = await openTimeline(t)
  await page.keyboard.press('Home')
  await until('the first entry selected', async () => (await selected()) === 0)
  // Note 12's time plus a minute: note 12 is the nearest (they are five minutes apart).
  const target = 11
  const typed = hhmm(new Date(Date.parse(entries[target].occurred_at) + 60_000).toISOString())
  await page.keyboard.press('a')
  const input = page.getByTestId('jump-input')
  await input.waitFor()
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'jump-input', 'the cursor is in the time box')
  await page.keyboard.type(typed)
  await page.keyboard.press('Enter')
  await until(`note ${target + 1} selected for ${typed}`, async () => (await selected()) === target)
  assert.ok(await until('it is scrolled to', inView))
  assert.equal(await page.getByRole('dialog').count(), 0)

  // Nonsense is refused in the box, which stays open.
  await page.keyboard.press('a')
  await input.fill('soon')
  await page.keyboard.press('Enter')
  await page.getByRole('dialog').getByRole('alert').waitFor()
  // With a dialog open no timeline key fires.
  await page.getByRole('dialog').getByRole('button', { name: 'Jump' }).focus()
  await page.keyboard.press('End')
  assert.equal(await selected(), target)
  await page.keyboard.press('Escape')

  await page.keyboard.press('?')
  const help = await page.getByRole('dialog').textContent()
  for (const k of ['Home', 'End', 'PgUp', 'PgDn', 'Jump to a time', '1–4']) assert.ok(help.includes(k), `the help lists ${k}`)
})

test('every dialog puts the cursor in its first field', async (t) => {
  const { page, dataDir } = await freshApp(t, browser, seedNotes)
  const focused = () => page.evaluate(() => {
    const el = document.activeElement
    return el ? `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? '#' + el.getAttribute('data-testid') : ''}` : ''
  })
  await page.keyboard.press('End') // the last note
  await page.keyboard.press('e')
  await until('the edit dialog with the cursor in its text', async () => (await focused()) === 'textarea#edit-text')
  await page.keyboard.press('Escape')
  // Delete: typed straight away, the reason is in the record.
  await page.keyboard.press('Delete')
  await until('the reason dialog with the cursor in its field', async () => (await focused()) === 'input#reason-input')
  await page.keyboard.type('duplicate of the SIEM alert')
  await page.keyboard.press('Enter')
  await until('the entry deleted with that reason', () => JSON.parse(cli(dataDir, 'timeline', '--json', '--all')).some((e) => e.deleted && e.text === 'Note 40'))
  // The dialog closes once the app has the answer, a moment after the record has the delete:
  // while it is open, N is its key, not the shortcut (CI pressed it too early once).
  await page.getByRole('dialog').waitFor({ state: 'detached' })
  await page.keyboard.press('N')
  await page.getByRole('dialog', { name: 'New incident' }).waitFor()
  assert.equal(await page.evaluate(() => document.activeElement?.closest('label')?.textContent.trim().startsWith('Title')), true, 'the cursor is in the title')
  await page.keyboard.press('Escape')
  await page.keyboard.press(',')
  await until('the settings with the cursor in the name', async () => (await focused()) === 'input#settings-author')
})

test('toasts stay clear of the note box: Add is clickable while one shows', async (t) => {
  const { page } = await freshApp(t, browser, seedNotes)
  await page.getByTestId('note-input').fill('Blocked the sender domain')
  await page.getByTestId('note-time').click()
  await page.getByLabel('Entry time').fill('not a time')
  const add = page.getByRole('button', { name: 'Add', exact: true })
  await add.click()
  const toast = page.getByTestId('toast')
  await toast.first().waitFor() // an error: shown for nine seconds
  const a = await page.locator('.notebox').boundingBox()
  const b = await toast.first().boundingBox()
  assert.ok(b.y + b.height <= a.y || b.x + b.width <= a.x, `the toast ${JSON.stringify(b)} covers the note box ${JSON.stringify(a)}`)
  await add.click({ timeout: 2000 }) // fails if anything covers it
  await until('the second click answered', async () => (await toast.count()) === 2)
})

test('an empty date filter does not look set; a set one does', async (t) => {
  const { page } = await freshApp(t, browser, seedNotes)
  const from = page.getByLabel('From')
  const look = () => from.evaluate((el) => ({ color: getComputedStyle(el).color, border: getComputedStyle(el).borderTopColor }))
  const resolve = (v) => page.evaluate((v) => {
    const probe = document.body.appendChild(document.createElement('span'))
    probe.style.color = v
    const c = getComputedStyle(probe).color
    probe.remove()
    return c
  }, v)
  const [muted, text, accent] = [await resolve('var(--muted)'), await resolve('var(--text)'), await resolve('var(--accent)')]
  const empty = await look()
  assert.equal(empty.color, muted, 'empty: dimmed')
  assert.notEqual(empty.border, accent)
  await from.fill('2026-11-22T10:00')
  const set = await look()
  assert.equal(set.color, text)
  assert.equal(set.border, accent, 'set: marked as a filter')
})

test('a settings checkbox sits before its text on one line', async (t) => {
  const { page } = await freshApp(t, browser, seedNotes)
  await page.keyboard.press(',')
  const box = page.getByTestId('all-screens')
  await box.scrollIntoViewIfNeeded()
  const [input, text] = await box.evaluate((el) => {
    const range = document.createRange()
    range.selectNodeContents(el.closest('label'))
    range.setStartAfter(el)
    const rects = [...range.getClientRects()].filter((r) => r.width > 0)
    const r = el.getBoundingClientRect()
    return [{ left: r.left, right: r.right, mid: (r.top + r.bottom) / 2 },
      { left: Math.min(...rects.map((x) => x.left)), top: Math.min(...rects.map((x) => x.top)), bottom: Math.max(...rects.map((x) => x.bottom)) }]
  })
  assert.ok(input.right <= text.left, `the box ${JSON.stringify(input)} is before the text ${JSON.stringify(text)}`)
  assert.ok(input.mid > text.top && input.mid < text.bottom, `the box ${JSON.stringify(input)} is on the text's line ${JSON.stringify(text)}`)
  assert.ok(text.bottom - text.top < 30, 'the text is one line')
})

test("the quick-note box's head is one line, however long the incident's title", async (t) => {
  const { page } = await freshApp(t, browser, (dataDir) => {
    cli(dataDir, 'incident', 'new', 'Credential stuffing on the SSO portal from a residential proxy network, wave two', '--severity', 'high')
  }, { width: 640, height: 176 })
  await page.evaluate(() => fetch('/__bridge/launch', { method: 'POST', body: JSON.stringify(['capture', 'note', '--at', new Date().toISOString()]) }))
  const label = page.getByTestId('capture-box-label')
  await label.waitFor()
  const lines = (loc) => loc.evaluate((el) => {
    const range = document.createRange()
    range.selectNodeContents(el)
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size
  })
  assert.equal(await lines(label), 1, '"Quick note" on one line')
  assert.equal(await lines(page.getByTestId('capture-box-time')), 1, 'the time on one line')
  const head = await label.evaluate((el) => el.parentElement.getBoundingClientRect().height)
  const one = await label.evaluate((el) => el.getBoundingClientRect().height)
  assert.ok(head < one * 1.5, `the head is one line (${head} px for a ${one} px label)`)
  await page.getByTestId('capture-box-input').press('Escape')
})

test('search follows the typing, matches word starts, counts every match and pages to the start', async (t) => {
  const { page, dataDir } = await freshApp(t, browser, (dir) => {
    cli(dir, 'config', 'set', 'author', 'Ana')
    cli(dir, 'incident', 'new', 'Credential stuffing', '--severity', 'high')
    // 230 matches: more than a page of 200; the oldest is the start of the incident.
    const lines = Array.from({ length: 230 }, (_, i) => `logins failing from host-${i}`)
    cli(dir, 'note', '--at', '-5h', 'first: logins failing at the start of the incident')
    cliInput(dir, lines.join('\n') + '\n', 'note', '--stdin')
    cli(dir, 'note', 'an unrelated note')
  })
  const count = page.getByTestId('search-count')
  await page.keyboard.press('/')
  await page.keyboard.type('login') // no Enter: results follow the typing
  await count.filter({ hasText: '200 of 231 matches for “login”' }).waitFor()
  await page.getByTestId('search-more').click()
  // Anchored: '200 of 231 matches' holds '231 matches' too, and would pass before the page lands.
  await count.filter({ hasText: /^231 matches for “login”$/ }).waitFor()
  assert.equal(await page.getByTestId('search-more').count(), 0)
  // The start of the incident is among them: Home reaches it (oldest at the top, as a fresh
  // app shows them; counting it right after Home raced the scroll, and End then went away).
  await page.evaluate(() => document.activeElement.blur())
  const first = page.getByTestId('entry').filter({ hasText: 'first: logins failing at the start' })
  await page.keyboard.press('Home')
  await first.first().waitFor()
  // No match says so, and differs from an empty timeline.
  await page.getByTestId('search-input').fill('nothing-like-this')
  await count.filter({ hasText: 'No entry matches “nothing-like-this”' }).waitFor()
  assert.equal(await page.getByTestId('timeline-empty').textContent(), 'No entry matches “nothing-like-this”.')
  assert.ok(JSON.parse(cli(dataDir, 'timeline', '--json')).length > 0)
})

test('Settings: About says the version the CLI says; start at login writes the autostart entry', async (t) => {
  const config = mkdtempSync(join(tmpdir(), 'xdg-'))
  t.after(() => rmSync(config, { recursive: true, force: true }))
  const { page, dataDir } = await freshApp(t, browser, (dir) => {
    cli(dir, 'config', 'set', 'author', 'Ana')
    cli(dir, 'incident', 'new', 'Settings test', '--severity', 'low')
  }, undefined, { env: { XDG_CONFIG_HOME: config } })
  await page.getByTestId('settings').click()
  await page.getByTestId('settings-about').click()
  const version = page.getByTestId('about-version')
  await version.filter({ hasText: /\S/ }).waitFor()
  // The harness and the CLI are stamped alike by the Makefile, so they name the same build.
  assert.equal((await version.textContent()).trim().replace(/^Blotter /, ''), cli(dataDir, '--version').replace(/^blotter /, ''))
  await page.getByTestId('about-data-dir').filter({ hasText: dataDir }).waitFor() // the Settings' own call brings it
  await page.keyboard.press('Escape')
  const box = page.getByTestId('autostart')
  await page.waitForFunction(() => document.querySelector('[data-testid=autostart]')?.disabled === false) // its value has come
  assert.equal(await box.isChecked(), false)
  await box.check()
  const entry = join(config, 'autostart', 'blotter.desktop')
  await until('the autostart entry', () => existsSync(entry))
  assert.match(readFileSync(entry, 'utf8'), /^Exec=.*--side/m)
  await box.uncheck()
  await until('the autostart entry removed', () => !existsSync(entry))
})
