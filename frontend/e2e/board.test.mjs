// End-to-end: the task board and the incident overview in Chromium against the real Go
// services, with the CLI as a second process reading what the board did. Every test has its own
// data dir, harness and page (freshApp), seeded with what it needs; only Chromium is shared.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { cli, freshApp, launch, until } from './harness.mjs'

let browser

before(async () => {
  browser = await launch()
})

after(() => browser?.close())

// seed makes the incident every test starts from: the notes that mark the GitLab milestones,
// a finding, and two tasks in To do, one of them overdue. It returns the tasks' ids.
function seed(dataDir) {
  cli(dataDir, 'config', 'set', 'author', 'Ana')
  cli(dataDir, 'incident', 'new', 'Webshell on web01', '--severity', 'critical')
  cli(dataDir, 'note', '--at', '-60m', 'Deploy of a vulnerable plugin #start-time')
  cli(dataDir, 'note', '--at', '-50m', 'WAF alert on /uploads/shell.php #impact-detected')
  cli(dataDir, 'note', '--at', '-45m', 'On-call paged, bridge opened #response-initiated')
  cli(dataDir, 'note', '--at', '-30m', 'web01 pulled from the load balancer')
  return {
    isolate: cli(dataDir, 'task', 'add', 'Isolate web01', '--assignee', 'Ana'),
    rotate: cli(dataDir, 'task', 'add', 'Rotate the database password', '--assignee', 'Bo', '--due', '-10m'),
  }
}

// seedRescheduled is seed with the password rotation handed to Chen and due in three hours, as
// its dialog leaves it (see below): no longer overdue.
function seedRescheduled(dataDir) {
  const { rotate } = seed(dataDir)
  cli(dataDir, 'task', 'assign', rotate, 'Chen')
  cli(dataDir, 'task', 'edit', rotate, '--due', '+3h')
}

// seedDoing is seed with the isolation of web01 In progress.
function seedDoing(dataDir) {
  const { isolate } = seed(dataDir)
  cli(dataDir, 'task', 'move', isolate, 'doing')
}

// seedBlocked is seed with the isolation of web01 moved to In progress and then to Blocked,
// waiting on the network team, as the keyboard leaves it (see below).
function seedBlocked(dataDir) {
  const { isolate } = seed(dataDir)
  cli(dataDir, 'task', 'move', isolate, 'doing')
  cli(dataDir, 'task', 'move', isolate, 'blocked', '--reason', 'the network team')
}

// open gives the test the board over a new data dir filled by seedWith, with the helpers bound
// to its page and data dir.
async function open(t, seedWith = seed) {
  const app = await freshApp(t, browser, seedWith, { width: 1280, height: 800 })
  const { page, dataDir } = app
  const tasks = () => JSON.parse(cli(dataDir, 'task', 'list', '--json'))
  const card = (title) => page.getByTestId('task').filter({ hasText: title })
  await page.getByTestId('tab-board').click()
  await card('Isolate web01').waitFor()
  return {
    ...app,
    tasks,
    task: (title) => tasks().find((t) => t.title === title),
    card,
    column: (status) => page.getByTestId('column-' + status),
  }
}


test('drag a task to another column and back', async (t) => {
  const { task, card, column } = await open(t)
  await card('Isolate web01').dragTo(column('doing'))
  await until('the move in the database', () => task('Isolate web01').status === 'doing')
  await column('doing').getByTestId('task').filter({ hasText: 'Isolate web01' }).waitFor()
  await card('Isolate web01').dragTo(column('todo'))
  await until('the move back', () => task('Isolate web01').status === 'todo')
})

test('drag within a column reorders it', async (t) => {
  const { dataDir, tasks, task, card, column } = await open(t)
  cli(dataDir, 'task', 'add', 'Snapshot the disk of web01')
  await card('Snapshot the disk of web01').waitFor()
  const order = () => tasks().filter((t) => t.status === 'todo').map((t) => t.title)
  assert.notEqual(order()[0], 'Snapshot the disk of web01')
  const first = column('todo').getByTestId('task').first()
  await card('Snapshot the disk of web01').dragTo(first, { targetPosition: { x: 20, y: 2 } })
  await until('the new order', () => order()[0] === 'Snapshot the disk of web01')
})

test('move a task with the keyboard; blocked asks what it waits on', async (t) => {
  const { page, task, card, column } = await open(t)
  await card('Isolate web01').focus()
  await page.keyboard.press('Shift+ArrowRight')
  await until('the task in progress', () => task('Isolate web01').status === 'doing')
  // The card is drawn anew in its new column and takes the focus back after the move is
  // stored: the next key is the user's next key only once it has.
  const moved = column('doing').getByTestId('task').filter({ hasText: 'Isolate web01' })
  await until('the focus on the moved card', () => moved.evaluate((el) => el === document.activeElement).catch(() => false))
  await page.keyboard.press('Shift+ArrowRight')
  await page.getByTestId('reason-input').fill('the network team')
  await page.keyboard.press('Enter')
  await until('the task blocked', () => task('Isolate web01').status === 'blocked')
  assert.equal(task('Isolate web01').blocked_reason, 'the network team')
  await column('blocked').getByText('waits on: the network team').waitFor()
})

test('two quick Shift+Right presses move a task two columns, the second from where the first put it', async (t) => {
  const { page, task, card } = await open(t)
  await card('Isolate web01').focus()
  // No wait between the presses: the second comes while the first move is being stored.
  await page.keyboard.press('Shift+ArrowRight')
  await page.keyboard.press('Shift+ArrowRight')
  await page.getByTestId('reason-input').fill('the firewall change')
  await page.keyboard.press('Enter')
  await until('the task blocked', () => task('Isolate web01').status === 'blocked')
  assert.equal(task('Isolate web01').blocked_reason, 'the firewall change')
})

test('a click on the board\'s empty space lets go of the card: a later reload does not give it the focus back', async (t) => {
  const { page, dataDir, card, column } = await open(t)
  await card('Isolate web01').focus()
  // Below the cards of a column: empty board, nothing focusable.
  const box = await column('doing').boundingBox()
  await page.mouse.click(box.x + box.width / 2, box.y + box.height - 20)
  cli(dataDir, 'task', 'add', 'Snapshot the disk of web01') // another process changes the board
  await card('Snapshot the disk of web01').waitFor()
  // keepFocus gives a focused card its focus back within 12 frames of a reload: wait them out.
  await page.evaluate(() => new Promise((done) => {
    let frames = 0
    const next = () => (++frames >= 15 ? done() : requestAnimationFrame(next))
    requestAnimationFrame(next)
  }))
  assert.equal(await card('Isolate web01').evaluate((el) => el === document.activeElement), false,
    'the card took the focus back: the next Enter or arrow key would act on it')
})

test('no single-key shortcut fires while a dialog is open, even with the focus on its button', async (t) => {
  const { page, task, card } = await open(t, seedDoing)
  await card('Isolate web01').focus()
  await page.keyboard.press('Shift+ArrowRight') // to Blocked: the dialog asks what it waits on
  await page.getByTestId('reason-input').waitFor()
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).focus()
  await page.keyboard.type('gbwn') // overview, board, side window, note: none may fire
  assert.equal(await page.getByRole('dialog').count(), 1, 'the dialog is still open')
  assert.equal(await page.getByTestId('tab-overview').evaluate((b) => b.classList.contains('active')), false, 'the overview tab did not open')
  assert.equal(await page.getByTestId('tab-board').evaluate((b) => b.classList.contains('active')), true, 'the board is still shown')
  await page.getByTestId('reason-input').fill('the network team')
  await page.keyboard.press('Enter')
  await until('the task blocked', () => task('Isolate web01').status === 'blocked')
})

test('Enter opens a task; its dialog changes the assignee and the due time', async (ctx) => {
  const { page, task, card } = await open(ctx)
  await card('Rotate the database password').focus()
  await page.keyboard.press('Enter')
  const dialog = page.getByTestId('task-dialog')
  await dialog.getByLabel('Assignee').fill('Chen')
  await dialog.getByLabel('Due').fill('+3h')
  await dialog.getByRole('button', { name: 'Save' }).click()
  const t = await until('the edit in the database', () => task('Rotate the database password')?.assignee === 'Chen' && task('Rotate the database password'))
  assert.ok(Date.parse(t.due_at) > Date.now() + 2.5 * 3600_000, `due ${t.due_at} is about three hours ahead`)
  await page.getByTestId('task').filter({ hasText: 'Rotate the database password' }).getByTestId('due').waitFor() // no longer overdue
  await dialog.waitFor({ state: 'detached' })
})

test('quick add at the top of a column', async (t) => {
  const { page, task } = await open(t)
  await page.getByTestId('quick-add-doing').fill('Collect the web server logs')
  await page.keyboard.press('Enter')
  await until('the new task', () => task('Collect the web server logs')?.status === 'doing')
})

test('overdue tasks stand out; "mine" shows only my tasks', async (t) => {
  const { page, dataDir, task, card } = await open(t, seedRescheduled)
  cli(dataDir, 'task', 'edit', task('Rotate the database password').id, '--due', '2026-01-01T00:00:00Z')
  await card('Rotate the database password').getByTestId('overdue').waitFor()
  await page.getByTestId('board-mine').check()
  await until('only my tasks', async () => (await card('Rotate the database password').count()) === 0)
  assert.equal(await card('Isolate web01').count(), 1)
  await page.getByTestId('board-mine').uncheck()
})

test('"only mine" follows a new name given in a terminal, without a reload', async (t) => {
  const { page, dataDir, card } = await open(t, seedRescheduled)
  await page.getByTestId('board-mine').check()
  await page.getByText('Only mine (Ana)').waitFor()
  cli(dataDir, 'config', 'set', 'author', 'Chen')
  await page.getByText('Only mine (Chen)').waitFor()
  await until("Chen's tasks", async () => (await card('Isolate web01').count()) === 0 && (await card('Rotate the database password').count()) === 1)
})

test('task changes are on the timeline; a task can be made from an entry', async (t) => {
  const { page, dataDir, task } = await open(t, seedBlocked)
  await page.getByTestId('tab-timeline').click()
  const entries = page.getByTestId('entry')
  await entries.filter({ hasText: 'moved “Isolate web01” from In progress to Blocked (waits on: the network team)' }).waitFor()
  const finding = entries.filter({ hasText: 'web01 pulled from the load balancer' })
  await finding.hover()
  await finding.getByTestId('make-task').click()
  const made = await until('the task from the entry', () => task('web01 pulled from the load balancer'))
  const source = JSON.parse(cli(dataDir, 'timeline', '--json')).find((e) => e.text === 'web01 pulled from the load balancer')
  assert.deepEqual(made.links, [source.id])
  assert.match(cli(dataDir, 'verify'), /the record checks out/)
})

test('the overview charts the entries with the GitLab milestones and the durations', async (t) => {
  const { page, errors } = await open(t)
  await page.getByTestId('tab-overview').click()
  const chart = page.getByTestId('overview-chart')
  await chart.locator('svg').first().waitFor()
  for (const label of ['Start time', 'Impact detected', 'Response initiated']) {
    await chart.locator(`[aria-label="milestone ${label}"]`).first().waitFor({ state: "attached" })
  }
  assert.equal(await chart.locator('line[aria-label^="milestone "]').count(), 3)
  const figures = await page.getByTestId('duration').allTextContents()
  assert.ok(figures.some((f) => /Time to detect\s*10 min/.test(f)), figures.join(' | '))
  assert.ok(figures.some((f) => /Time to respond\s*5 min/.test(f)), figures.join(' | '))
  assert.ok(figures.some((f) => /Time to resolve\s*—/.test(f)), figures.join(' | '))
  assert.ok((await chart.locator('circle').count()) >= 4, 'entries are drawn as marks')
  assert.match(await page.getByTestId('sync-state').textContent(), /local only/)
  assert.deepEqual(errors, [])
})
