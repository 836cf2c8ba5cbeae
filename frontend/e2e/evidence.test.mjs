// End-to-end: evidence opens inside the app. Files are attached with the CLI, as a responder
// would from a terminal, and opened in the viewer: an image zooms, text is text, an SVG's script
// is shown and never run, anything else shows its details; Reveal in folder says why it cannot.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync, mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { cli, freshApp, launch, until } from './harness.mjs'

let browser

before(async () => {
  browser = await launch()
})

after(() => browser?.close())

// The harness runs with no session bus and no display, whatever this machine has: Reveal has
// nothing to show the file with, every time.
const noDesktop = { env: { DBUS_SESSION_BUS_ADDRESS: '', DISPLAY: '', WAYLAND_DISPLAY: '' } }

// crc32 is PNG's chunk checksum (zlib.crc32 is not in every Node this runs on).
function crc32(buf) {
  let c = ~0
  for (const b of buf) {
    c ^= b
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1))
  }
  return ~c >>> 0
}

// png makes a w×h RGB PNG, left half blue and right half orange: a few KiB for any size.
function png(w, h) {
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length)
    out.writeUInt32BE(data.length, 0)
    out.write(type, 4, 'latin1')
    data.copy(out, 8)
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
    return out
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr[8] = 8 // bits per channel
  ihdr[9] = 2 // RGB
  const row = Buffer.alloc(1 + w * 3) // filter byte 0, then pixels
  for (let x = 0; x < w; x++) row.set(x < w / 2 ? [40, 90, 200] : [240, 140, 30], 1 + x * 3)
  const raw = Buffer.concat(Array.from({ length: h }, () => row))
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

// open gives the test the app over a new data dir whose incident has the files (name ->
// content, or {symlinkTo: name} for a symlink to one of them) attached through the CLI, in order.
async function open(t, files) {
  const seed = (dataDir) => {
    cli(dataDir, 'config', 'set', 'author', 'Ana')
    cli(dataDir, 'incident', 'new', 'Implant on build server', '--severity', 'high')
    const dir = join(dataDir, 'from-the-server')
    mkdirSync(dir)
    for (const [name, content] of Object.entries(files)) {
      const path = join(dir, name)
      if (content.symlinkTo) symlinkSync(join(dir, content.symlinkTo), path)
      else writeFileSync(path, content)
      cli(dataDir, 'attach', path)
    }
  }
  const app = await freshApp(t, browser, seed, undefined, noDesktop)
  const evidence = JSON.parse(cli(app.dataDir, 'timeline', '--json')).flatMap((e) => e.evidence ?? [])
  return {
    ...app,
    sha: (name) => evidence.find((ev) => ev.name === name).sha256,
    // openFile clicks the file's name in its timeline entry and waits for the viewer.
    openFile: async (name) => {
      await app.page.getByTestId('evidence-open').filter({ hasText: new RegExp(`^▤ ${name}$`) }).click()
      await app.page.getByRole('dialog', { name, exact: true }).waitFor()
      return app.page.getByTestId('viewer')
    },
  }
}

// closesWithEscape checks that Esc closes the viewer.
async function closesWithEscape(page) {
  await page.keyboard.press('Escape')
  await page.getByTestId('viewer').waitFor({ state: 'detached' })
}

test('an image opens full size and zooms', async (t) => {
  const { page, openFile } = await open(t, { 'dashboard.png': png(2000, 1000) })
  await openFile('dashboard.png')
  const img = page.getByTestId('viewer-image')
  await until('the image to load', () => img.evaluate((i) => i.complete && i.naturalWidth === 2000))
  const width = () => img.evaluate((i) => Math.round(i.getBoundingClientRect().width))
  const widthBecomes = (w) => until(`the image ${w} px wide`, async () => (await width()) === w)
  const stage = page.getByTestId('viewer-stage')
  const scrolls = () => stage.evaluate((s) => s.scrollWidth > s.clientWidth)

  // Fitted: in the 1200 px window, the whole image, smaller than it is.
  const fitted = await width()
  assert.ok(fitted > 200 && fitted < 1200, `fitted width ${fitted}`)
  assert.equal(await scrolls(), false)
  assert.equal(await page.getByTestId('viewer-zoom').textContent(), 'fit')

  await page.getByRole('button', { name: '100%' }).click()
  await widthBecomes(2000)
  assert.equal(await scrolls(), true, 'a larger image scrolls')
  await page.keyboard.press('+')
  await widthBecomes(2500)
  assert.equal(await page.getByTestId('viewer-zoom').textContent(), '125%')
  await page.keyboard.press('-')
  await page.keyboard.press('-')
  await widthBecomes(1500)
  await page.getByRole('button', { name: 'Zoom in' }).click()
  await widthBecomes(2000)
  await page.keyboard.press('0')
  await widthBecomes(fitted)
  await closesWithEscape(page)

  // The thumbnail opens it too.
  await page.getByTestId('entry').locator('.thumb').click()
  await page.getByTestId('viewer-image').waitFor()
  await closesWithEscape(page)
})

test('a text file is shown as text, and a long one says how much', async (t) => {
  const log = 'GET /admin 403\n<b>not bold</b> & <i>not italic</i>\n'
  const big = 'x'.repeat(99) + '\n'
  const { page, openFile } = await open(t, { 'access.log': log, 'huge.log': big.repeat(15000) })
  const viewer = await openFile('access.log')
  const text = viewer.getByTestId('viewer-text')
  assert.equal(await text.textContent(), log)
  assert.equal(await text.locator('b, i').count(), 0, 'markup in a file is text, never rendered')
  assert.equal(await viewer.getByTestId('viewer-truncated').count(), 0)
  await closesWithEscape(page)

  await openFile('huge.log')
  assert.equal(await page.getByTestId('viewer-truncated').textContent(), 'Showing the first 1 MiB of 1.4 MiB.')
  assert.equal((await page.getByTestId('viewer-text').textContent()).length, 1 << 20)
  await closesWithEscape(page)
})

test('an SVG is shown as its source and its script never runs', async (t) => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__xss=1"><script>window.__xss=2</script><rect width="9" height="9"/></svg>\n'
  const requests = []
  const { page, openFile, sha } = await open(t, { 'logo.svg': svg })
  page.on('request', (r) => requests.push(r.url()))
  const entry = page.getByTestId('entry').filter({ hasText: 'logo.svg' })
  assert.equal(await entry.locator('img, svg').count(), 0, 'no thumbnail of an SVG')
  const viewer = await openFile('logo.svg')
  assert.equal(await viewer.getByTestId('viewer-text').textContent(), svg)
  await page.waitForTimeout(300) // time for a script to have run, if one could
  assert.equal(await page.evaluate(() => window.__xss), undefined)
  assert.equal(await page.getByRole('dialog').locator('svg, img, iframe, object, embed, script').count(), 0)
  assert.deepEqual(requests.filter((u) => u.includes(sha('logo.svg'))), [], 'the file is not loaded as a resource')
  await closesWithEscape(page)
})

test('another file shows its details; Reveal in folder says why it cannot', async (t) => {
  const elf = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe])
  const { page, dataDir, openFile, sha } = await open(t, { 'implant': elf, 'update-helper': { symlinkTo: 'implant' } })
  let viewer = await openFile('implant')
  await until('the details', async () => (await viewer.getAttribute('data-mode')) === 'details')
  assert.equal(await viewer.getByTestId('viewer-sha').textContent(), sha('implant'))
  const details = await viewer.getByTestId('viewer-details').textContent()
  assert.match(details, /18 bytes/)
  assert.ok(details.includes(join(dataDir, 'from-the-server', 'implant')), 'where it was taken from')
  assert.equal(await viewer.getByTestId('viewer-text').count(), 0)

  // No session bus and no display in the harness: the reason, not silence.
  await page.getByTestId('viewer-reveal').click()
  const toast = page.getByTestId('toast').filter({ hasText: 'cannot show the file in a file manager' })
  await toast.waitFor()
  assert.match(await toast.textContent(), /no D-Bus session bus.*no display/)
  await closesWithEscape(page)

  // A file taken in through a symlink says where the link led.
  viewer = await openFile('update-helper')
  await until('the details', async () => (await viewer.getAttribute('data-mode')) === 'details')
  const linked = await viewer.getByTestId('viewer-details').textContent()
  assert.ok(linked.includes('Symlink to' + join(dataDir, 'from-the-server', 'implant')), linked)
  await closesWithEscape(page)
})
