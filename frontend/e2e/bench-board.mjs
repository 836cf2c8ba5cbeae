// Board benchmark: the real frontend in Chromium over the real Go services. Prints the time from
// opening the board to the board painted (every column showing its cards in view; the columns
// are virtual lists, so cards out of view are not built), and the frame times while a card is
// dragged across the columns, for a board of many tasks beside one of few.
//
//   node e2e/bench-board.mjs DATA_DIR_LARGE DATA_DIR_SMALL
import { startHarness, launch } from './harness.mjs'

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]
const median = (xs) => pct(xs, 50)

async function measure(browser, dataDir) {
  const harness = await startHarness(dataDir)
  try {
    const renders = []
    let frames = []
    for (let run = 0; run < 5; run++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
      await page.goto(harness.url)
      await page.evaluate(() => window.__bridgeReady)
      await page.getByTestId('tab-board').waitFor()
      await page.waitForFunction(() => Number(document.querySelector('[data-testid=tab-board] .muted')?.textContent) > 0)
      await page.waitForTimeout(300)
      // Open the board and wait for every card in the DOM, then the frame that paints them.
      renders.push(await page.evaluate(async () => {
        const start = performance.now()
        document.querySelector('[data-testid=tab-board]').click()
        const painted = () => {
          const columns = [...document.querySelectorAll('[data-testid^=column-]')]
          return columns.length === 4 && columns.every((c) => c.querySelector('h2 .muted')?.textContent === '0' || c.querySelector('[data-testid=task]'))
        }
        while (!painted()) await new Promise(requestAnimationFrame)
        await new Promise(requestAnimationFrame)
        return performance.now() - start
      }))
      if (run === 4) {
        // Drag the first card of To do over the other columns, one mouse step per frame.
        const card = page.getByTestId('column-todo').getByTestId('task').first()
        const box = await card.boundingBox()
        const done = await page.getByTestId('column-blocked').boundingBox()
        await page.evaluate(() => {
          window.__frames = []
          let prev = performance.now()
          const tick = (now) => { window.__frames.push(now - prev); prev = now; if (window.__framing) requestAnimationFrame(tick) }
          window.__framing = true
          requestAnimationFrame(tick)
        })
        await page.mouse.move(box.x + 20, box.y + 10)
        await page.mouse.down()
        const steps = 120
        for (let s = 1; s <= steps; s++) {
          await page.mouse.move(box.x + 20 + ((done.x + 40 - box.x) * s) / steps, box.y + 10 + (300 * s) / steps)
        }
        frames = await page.evaluate(() => { window.__framing = false; return window.__frames.slice(2) })
        await page.keyboard.press('Escape')
        await page.mouse.up()
      }
      await page.close()
    }
    return { render: median(renders), frames }
  } finally {
    harness.stop()
  }
}

const [large, small] = process.argv.slice(2)
const browser = await launch()
try {
  const big = await measure(browser, large)
  const few = await measure(browser, small)
  console.log(`board first render (tab click -> every column painted with its cards in view), median of 5: large ${big.render.toFixed(1)} ms | small ${few.render.toFixed(1)} ms | ratio ${(big.render / few.render).toFixed(2)}x (goal large < 100 ms)`)
  const f = big.frames
  console.log(`board drag frames (${f.length} frames): p50 ${median(f).toFixed(1)} ms p99 ${pct(f, 99).toFixed(1)} ms worst ${Math.max(...f).toFixed(1)} ms | small board p50 ${median(few.frames).toFixed(1)} ms p99 ${pct(few.frames, 99).toFixed(1)} ms (goal < 16 ms)`)
} finally {
  await browser.close()
}
