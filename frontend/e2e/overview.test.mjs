// End-to-end: the incident overview chart in Chromium against the real Go services, seeded
// through the CLI: milestone labels that do not overlap, one time format on the axis in the zone
// the app shows, and density instead of dots for thousands of entries.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { cli, cliInput, freshApp, launch, until } from './harness.mjs'

let browser

before(async () => {
  browser = await launch()
})

after(() => browser?.close())

// seedClose: an incident six hours long whose six milestones fall in its last twelve minutes,
// two minutes apart and two at the same time: at this scale their labels would sit on top of
// each other on one line.
function seedClose(dataDir) {
  cli(dataDir, 'config', 'set', 'author', 'Ana')
  cli(dataDir, 'incident', 'new', 'Webshell on web01', '--severity', 'critical')
  cli(dataDir, 'note', '--at', '-6h', 'Deploy of a vulnerable plugin')
  cli(dataDir, 'note', '--at', '-12m', '--tag', 'start time', 'First request to shell.php')
  cli(dataDir, 'note', '--at', '-10m', '--tag', 'impact detected', 'WAF alert on /uploads/shell.php')
  cli(dataDir, 'note', '--at', '-8m', '--tag', 'response initiated', 'On-call paged')
  cli(dataDir, 'note', '--at', '-6m', '--tag', 'impact mitigated', 'web01 pulled from the load balancer')
  cli(dataDir, 'note', '--at', '-6m', '--tag', 'cause identified', 'The plugin upload form')
  cli(dataDir, 'note', '--at', '-2m', '--tag', 'end time', 'Closed')
}

async function openOverview(t, seed, pageOptions) {
  const app = await freshApp(t, browser, seed, { width: 1200, height: 800 }, {}, pageOptions)
  await app.page.getByTestId('tab-overview').click()
  await app.page.getByTestId('overview-chart').locator('svg').first().waitFor()
  return app
}

// ticks reads the x axis labels with their positions.
const ticks = (page) => page.getByTestId('overview-chart').locator('[aria-label="x-axis tick label"] text').evaluateAll((els) =>
  els.map((el) => {
    const r = el.getBoundingClientRect()
    return { x: r.left + r.width / 2, text: el.textContent }
  }))

const CLOCK = /^\d\d:\d\d$/
const DATE = /^\d{1,2} [A-Z][a-z]{2}$/ // "23 Nov", on a day boundary

test('milestone labels close in time do not overlap, and the axis reads HH:MM', async (t) => {
  const { page } = await openOverview(t, seedClose)
  const labels = page.getByTestId('milestone-label')
  await until('six milestone labels', async () => (await labels.count()) === 6)
  const boxes = await labels.evaluateAll((els) => els.map((el) => {
    const r = el.getBoundingClientRect()
    return { text: el.firstChild.nodeValue, left: r.left, right: r.right, top: r.top, bottom: r.bottom }
  }))
  for (const b of boxes) assert.ok(b.right > b.left && b.bottom > b.top, `${b.text} has a box`)
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]]
      const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top
      assert.ok(apart, `"${a.text}" and "${b.text}" overlap: ${JSON.stringify([a, b])}`)
    }
  }
  assert.equal(new Set(boxes.map((b) => Math.round(b.top))).size > 1, true, 'the labels are stacked')

  const axis = await ticks(page)
  assert.ok(axis.length >= 3, JSON.stringify(axis))
  for (const { text } of axis) assert.match(text, new RegExp(`${CLOCK.source}|${DATE.source}`))
})

// minutes reads a tick as minutes into its day; a date tick is midnight.
const minutes = (text) => (DATE.test(text) ? 0 : Number(text.slice(0, 2)) * 60 + Number(text.slice(3)))

test('the zone button moves the axis ticks by the zone offset', async (t) => {
  const { page } = await openOverview(t, seedClose, { timezoneId: 'Asia/Tokyo' }) // UTC+9 all year
  assert.equal(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone), 'Asia/Tokyo')
  const zone = page.getByTestId('zone')
  assert.equal(await zone.textContent(), 'UTC')
  const utc = await ticks(page)
  await zone.click()
  await until('the local time', async () => (await zone.textContent()) === 'Local time')
  const local = await until('the ticks redrawn', async () => {
    const now = await ticks(page)
    return now.length > 0 && now.map((x) => x.text).join() !== utc.map((x) => x.text).join() && now
  })
  // Same instants, so same places: only the text moves, nine hours on.
  assert.equal(local.length, utc.length, 'as many ticks')
  for (const [i, u] of utc.entries()) {
    assert.ok(Math.abs(local[i].x - u.x) < 1, `tick ${i} at the same place: ${local[i].x} and ${u.x}`)
    assert.match(local[i].text, new RegExp(`${CLOCK.source}|${DATE.source}`))
    assert.equal(minutes(local[i].text), (minutes(u.text) + 9 * 60) % 1440, `UTC ${u.text} is ${local[i].text} in Tokyo`)
  }
  await zone.click()
  await until('UTC again', async () => (await ticks(page)).map((x) => x.text).join() === utc.map((x) => x.text).join())
})

test('3,000 entries are drawn as density, not a dot each', async (t) => {
  const lines = (n, what) => Array.from({ length: n }, (_, i) => `${what} ${i}`).join('\n') + '\n'
  const seed = (dataDir) => {
    cli(dataDir, 'config', 'set', 'author', 'Ana')
    cli(dataDir, 'incident', 'new', 'Credential stuffing', '--severity', 'high')
    cli(dataDir, 'note', '--at', '-40m', '--tag', 'start time', 'First failed logins')
    cliInput(dataDir, lines(1000, 'denied login'), 'note', '--stdin', '--at', '-30m')
    cliInput(dataDir, lines(1500, 'denied login'), 'note', '--stdin', '--at', '-20m')
    cliInput(dataDir, lines(500, 'denied login'), 'note', '--stdin', '--at', '-10m')
  }
  const { page } = await openOverview(t, seed)
  const chart = page.getByTestId('overview-chart')
  // The counts in the bars' titles add up to every entry once the whole timeline is in.
  const counted = () => chart.locator('[data-testid="density"] title').evaluateAll((els) =>
    els.reduce((sum, el) => sum + Number(el.textContent.split(' ')[0]), 0))
  await until('all 3,001 entries counted', async () => (await counted()) === 3001, 15000)
  const bars = await chart.getByTestId('density').count()
  assert.ok(bars >= 4 && bars < 100, `${bars} density bars`) // four slices with entries, far from 3,001
  assert.equal(await chart.locator('circle').count(), 0, 'no dots')
  assert.match(await page.getByTestId('density-note').textContent(), /3,001 entries/)
  assert.equal(await page.getByTestId('milestone-label').count(), 1)
})
