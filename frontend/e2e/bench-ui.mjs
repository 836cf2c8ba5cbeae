// UI benchmark: the real frontend in Chromium over the real Go services, with a large timeline.
// Prints the time to first render of the timeline and the frame times while scrolling it from
// top to bottom, beside the same page with a small timeline.
//
//   node e2e/bench-ui.mjs EXPORT_LARGE EXPORT_SMALL
import { cli, newDataDir, startHarness, launch, openApp } from './harness.mjs'

async function measure(browser, exportPath) {
  const dataDir = newDataDir()
  cli(dataDir, 'import', exportPath)
  const total = JSON.parse(cli(dataDir, 'incident', 'list', '--json')).length
  const harness = await startHarness(dataDir)
  try {
    const runs = []
    for (let i = 0; i < 5; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      // The first render: the first entry in the DOM, then painted (the next frame), timed in
      // the page from the start of navigation.
      await page.addInitScript(() => {
        new MutationObserver((_, obs) => {
          if (document.querySelector('[data-testid=entry]')) {
            obs.disconnect()
            requestAnimationFrame(() => (window.__firstRender = performance.now()))
          }
        }).observe(document, { childList: true, subtree: true })
      })
      await page.goto(harness.url)
      await page.waitForFunction(() => window.__firstRender)
      runs.push(await page.evaluate(() => window.__firstRender))
      if (i < 4) await page.close()
      else {
        // Scroll the whole list, one step per frame, and time the frames.
        const frames = await page.evaluate(async () => {
          const list = document.querySelector('[data-testid=timeline]')
          // Wait for the whole timeline to have arrived behind the first page (a list far taller
          // than the first page's 300 entries), then for it to settle.
          for (let waited = 0; list.scrollHeight < 300 * 46 * 10 && waited < 60000; waited += 200) {
            await new Promise((r) => setTimeout(r, 200))
          }
          await new Promise((r) => setTimeout(r, 1000))
          list.scrollTop = 0
          await new Promise(requestAnimationFrame)
          const steps = 600
          const stride = (list.scrollHeight - list.clientHeight) / steps
          const times = []
          let prev = await new Promise(requestAnimationFrame)
          for (let s = 1; s <= steps; s++) {
            list.scrollTop = Math.round(s * stride)
            const now = await new Promise(requestAnimationFrame)
            times.push(now - prev)
            prev = now
          }
          return { times, height: list.scrollHeight, rows: list.querySelectorAll('[data-testid=entry]').length }
        })
        runs.frames = frames
      }
    }
    return runs
  } finally {
    harness.stop()
  }
}

const pct = (arr, p) => [...arr].sort((a, b) => a - b)[Math.min(arr.length - 1, Math.floor(p * arr.length))]
const [large, small] = process.argv.slice(2)
const browser = await launch()
try {
  const big = await measure(browser, large)
  const base = await measure(browser, small)
  const first = pct(big, 0.5)
  const firstBase = pct(base, 0.5)
  const t = big.frames.times
  const over = t.filter((x) => x > 17.5).length
  console.log(`ui: first render of the timeline, large  median ${first.toFixed(0)} ms (runs: ${big.map((x) => x.toFixed(0)).join(', ')}) (goal < 300 ms)`)
  console.log(`ui: first render of the timeline, small  median ${firstBase.toFixed(0)} ms; ratio large/small = ${(first / firstBase).toFixed(2)}x`)
  console.log(`ui: scrolling top to bottom (${t.length} frames, list ${big.frames.height} px, ${big.frames.rows} rows in the DOM): ` +
    `p50 ${pct(t, 0.5).toFixed(1)} ms, p99 ${pct(t, 0.99).toFixed(1)} ms, worst ${Math.max(...t).toFixed(1)} ms, ` +
    `${over} frames over one 60 Hz interval (goal: worst < 16 ms of work; a frame interval cannot go below 16.7 ms)`)
} finally {
  await browser.close()
}
