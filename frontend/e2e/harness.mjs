// Starts the real Go services behind the real frontend (cmd/blotter-harness) and Debian's
// Chromium through playwright-core, for the end-to-end tests and the UI benchmark.
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'

const root = resolve(import.meta.dirname, '..', '..')
export const bin = (name) => join(root, 'build', 'bin', name)

/** newDataDir makes an empty data dir that is removed when the process exits. */
export function newDataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'blotter-e2e-'))
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** cli runs the blotter CLI on the data dir and returns its trimmed output. */
export function cli(dataDir, ...args) {
  return execFileSync(process.env.BLOTTER_CLI || bin('blotter-cli'), ['--data-dir', dataDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 }).trim()
}

/** startHarness serves the frontend with the Go services over the data dir. */
export async function startHarness(dataDir) {
  const proc = spawn(bin('blotter-harness'), ['-data-dir', dataDir, '-frontend', join(root, 'frontend', 'dist')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise((resolveURL, reject) => {
    let out = ''
    proc.stdout.on('data', (d) => {
      out += d
      const m = out.match(/listening on (http:\/\/\S+)/)
      if (m) resolveURL(m[1])
    })
    proc.on('exit', (code) => reject(new Error(`blotter-harness exited with ${code}`)))
  })
  return { url, stop: () => proc.kill() }
}

/** launch starts headless Chromium with the flags this offline machine needs. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  })
}

/** openApp opens the app in a new page and waits until its bridge and timeline are ready. */
export async function openApp(browser, url, viewport = { width: 1200, height: 800 }) {
  const page = await browser.newPage({ viewport })
  const errors = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(url)
  await page.evaluate(() => window.__bridgeReady)
  return { page, errors }
}

/** openSession serves dataDir, opens the app in a new Chromium and waits for the first entry
 * on the timeline. close() ends both. */
export async function openSession(dataDir, viewport) {
  const harness = await startHarness(dataDir)
  const browser = await launch()
  const { page, errors } = await openApp(browser, harness.url, viewport)
  await page.getByTestId('entry').first().waitFor()
  return {
    harness, browser, page, errors,
    close: async () => {
      await browser.close()
      harness.stop()
    },
  }
}
