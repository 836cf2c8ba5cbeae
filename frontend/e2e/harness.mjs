// Starts the real Go services behind the real frontend (cmd/blotter-harness) and Debian's
// Chromium through playwright-core, for the end-to-end tests and the UI benchmark.
import assert from 'node:assert/strict'
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'

const root = resolve(import.meta.dirname, '..', '..')
export const bin = (name) => join(root, 'build', 'bin', name)

// The data dirs not removed yet: whatever is left is removed when the process exits (one
// listener for all of them, however many tests make one).
const dataDirs = new Set()
process.on('exit', () => dataDirs.forEach(removeDataDir))

/** newDataDir makes an empty data dir that is removed when the process exits. */
export function newDataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'blotter-e2e-'))
  dataDirs.add(dir)
  return dir
}

/** removeDataDir removes a data dir made by newDataDir now rather than at exit. */
export function removeDataDir(dir) {
  rmSync(dir, { recursive: true, force: true })
  dataDirs.delete(dir)
}

/** cli runs the blotter CLI on the data dir and returns its trimmed output. */
export function cli(dataDir, ...args) {
  return cliInput(dataDir, '', ...args)
}

/** cliInput is cli with input on the command's standard input. */
export function cliInput(dataDir, input, ...args) {
  return execFileSync(process.env.BLOTTER_CLI || bin('blotter-cli'), ['--data-dir', dataDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, input }).trim()
}

/** startHarness serves the frontend with the Go services over the data dir. stop() ends it
 * and resolves once it has exited (its SQLite file closed). */
export async function startHarness(dataDir, { fakeGitLab = false, fakeSlack = false, env = {} } = {}) {
  const args = ['-data-dir', dataDir, '-frontend', join(root, 'frontend', 'dist')]
  if (fakeGitLab) args.push('-fake-gitlab') // a fake GitLab in the harness: its address is .gitlab
  if (fakeSlack) args.push('-fake-slack') // a fake Slack in the harness: its Web API is .slack
  let gitlab = ''
  let slack = ''
  const proc = spawn(bin('blotter-harness'), args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env }, // env: variables set (or emptied) for the harness alone
  })
  const exited = new Promise((resolveExit) => proc.once('exit', resolveExit))
  const url = await new Promise((resolveURL, reject) => {
    let out = ''
    proc.stdout.on('data', (d) => {
      out += d
      const g = out.match(/gitlab on (http:\/\/\S+)/)
      if (g) gitlab = g[1]
      const sl = out.match(/slack on (http:\/\/\S+)/)
      if (sl) slack = sl[1]
      const m = out.match(/listening on (http:\/\/\S+)/)
      if (m) resolveURL(m[1])
    })
    proc.on('exit', (code) => reject(new Error(`blotter-harness exited with ${code}`)))
  })
  return {
    url,
    gitlab,
    slack,
    stop: () => {
      proc.kill()
      return exited
    },
  }
}

/** launch starts headless Chromium with the flags this offline machine needs. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  })
}

/** openApp opens the app in a new page and waits until its bridge and timeline are ready.
 * pageOptions go to browser.newPage, e.g. { timezoneId: 'Asia/Tokyo' } for the page's zone. */
export async function openApp(browser, url, viewport = { width: 1200, height: 800 }, pageOptions = {}) {
  const page = await browser.newPage({ viewport, ...pageOptions })
  const errors = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(url)
  await page.evaluate(() => window.__bridgeReady)
  return { page, errors }
}

/** freshApp gives one test the app to itself: a new data dir, filled by seed(dataDir) (CLI
 * calls through cli()), its own harness over it and its own page in the shared browser, with
 * the bridge ready and, if the seed put entries on the timeline, the first one shown. When the
 * test ends, the page is closed, the harness stopped and the data dir removed; then the test
 * fails if the page threw an error while it ran. pageOptions are openApp's. */
export async function freshApp(t, browser, seed, viewport, harnessOptions = {}, pageOptions = {}) {
  const dataDir = newDataDir()
  let harness, app
  t.after(async () => {
    // One hook does all the cleanup: if a hook fails, the ones after it do not run.
    const errors = app ? [...app.errors] : []
    try {
      await app?.page.close()
    } finally {
      await harness?.stop()
      removeDataDir(dataDir)
    }
    assert.deepEqual(errors, [], 'errors thrown in the page')
  })
  seed(dataDir)
  const hasEntries = JSON.parse(cli(dataDir, 'timeline', '--json')).length > 0
  harness = await startHarness(dataDir, harnessOptions)
  app = await openApp(browser, harness.url, viewport, pageOptions)
  if (hasEntries) await app.page.getByTestId('entry').first().waitFor()
  return { ...app, dataDir, harness }
}

/** until polls check until it returns something truthy, and returns that; it fails the test
 * after timeout ms. */
export async function until(what, check, timeout = 5000) {
  const deadline = Date.now() + timeout
  let last
  while (Date.now() < deadline) {
    if ((last = await check())) return last
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('timed out waiting for ' + what)
}

/** refuseChange clicks the control with testId while the Go side refuses every call of one
 * bound method (e.g. 'Slack.SetPolicy') as a full disk would, waits for the error toast, and
 * stops refusing. It clicks rather than check()s: check() insists that the box stays checked. */
export async function refuseChange(page, method, testId) {
  const refuse = (route) => route.request().postDataJSON().method === method
    ? route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ code: 'internal', message: 'the disk is full' }) })
    : route.continue()
  await page.route('**/__bridge/call', refuse)
  try {
    await page.getByTestId(testId).click()
    await page.locator('.toast.error').filter({ hasText: 'the disk is full' }).waitFor()
  } finally {
    await page.unroute('**/__bridge/call', refuse)
  }
}

/** checkedIs waits until the box or radio with testId shows checked (true or false). */
export function checkedIs(page, testId, checked) {
  return page.waitForFunction(([id, want]) => document.querySelector(`[data-testid="${id}"]`)?.checked === want, [testId, checked])
}
