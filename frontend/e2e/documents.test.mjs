// The RCA and Runbook tabs: a draft made from the record, edited with a live preview, saved as
// revisions of the record (a stale save refused), and nothing in the text runs.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cli, freshApp, launch } from './harness.mjs'

let browser

before(async () => {
  browser = await launch()
})

after(() => browser?.close())

function seed(dataDir) {
  cli(dataDir, 'config', 'set', 'author', 'Ana')
  cli(dataDir, 'incident', 'new', 'Credential stuffing on SSO', '--severity', 'critical')
  cli(dataDir, 'note', '--at', '-30m', '--tag', 'start time', 'PagerDuty fired for the SSO error rate')
  cli(dataDir, 'note', '--at', '-20m', 'Leaked password list reused #root-cause')
  cli(dataDir, 'note', '--at', '-10m', 'Block the IPs at the edge first #runbook')
}

test('the RCA tab drafts from the record, previews, saves revisions and refuses a stale save', async (t) => {
  const { page, dataDir } = await freshApp(t, browser, seed)
  await page.getByTestId('tab-rca').click()
  const view = page.getByTestId('doc-rca')
  await view.getByTestId('doc-state').filter({ hasText: 'No RCA yet' }).waitFor()
  await view.getByTestId('doc-draft').click()
  const editor = view.getByTestId('doc-editor')
  await view.getByTestId('doc-preview').getByRole('heading', { name: 'Incident review: Credential stuffing on SSO' }).waitFor()
  assert.match(await editor.inputValue(), /- \d\d:\d\d:\d\d Ana: Leaked password list reused/)
  // Hostile Markdown typed into the RCA stays inert in the preview.
  await editor.press('End')
  await editor.evaluate((el) => el.setSelectionRange(el.value.length, el.value.length))
  await editor.type('\n\n<img src=x onerror="window.__xss=1"> [x](javascript:window.__xss=2)\n')
  await view.getByTestId('doc-preview').getByText('<img src=x onerror="window.__xss=1">').waitFor()
  assert.equal(await view.getByTestId('doc-preview').locator('img').count(), 0)
  await view.getByTestId('doc-reason').fill('first draft')
  await page.keyboard.press('Control+s')
  await view.getByTestId('doc-state').filter({ hasText: 'Revision 1, saved by Ana' }).waitFor()
  const saved = JSON.parse(cli(dataDir, 'rca', 'show', '--json'))
  assert.equal(saved.revision, 1)
  assert.match(saved.body, /Leaked password list reused/)

  // Someone saves from the terminal meanwhile: this window's save is refused and it reloads.
  const file = join(mkdtempSync(join(tmpdir(), 'rca-')), 'rca.md')
  writeFileSync(file, saved.body + '\nAdded from the terminal.\n')
  cli(dataDir, 'rca', 'save', file, '--base', '1', '--reason', 'from the terminal')
  await editor.type('one more line\n')
  await view.getByTestId('doc-save').click()
  await page.getByText(/saved by someone else meanwhile/).first().waitFor()
  // The terminal's revision is shown as the saved one; the words typed here stay, unsaved.
  await view.getByTestId('doc-state').filter({ hasText: 'Revision 2, saved by Ana · unsaved changes' }).waitFor()
  assert.match(await editor.inputValue(), /one more line\n$/)
  cli(dataDir, 'verify') // exits non-zero (and throws) unless the record, RCA included, checks out
  assert.equal(await page.evaluate(() => window.__xss), undefined)
})

test('the Runbook tab drafts the #runbook steps', async (t) => {
  const { page } = await freshApp(t, browser, seed)
  await page.getByTestId('tab-runbook').click()
  const view = page.getByTestId('doc-runbook')
  await view.getByTestId('doc-draft').click()
  await view.getByTestId('doc-preview').getByText('Block the IPs at the edge first').waitFor()
  assert.equal(await view.getByTestId('doc-publish').isDisabled(), true, 'nothing saved: nothing to publish')
  await view.getByTestId('doc-save').click()
  await view.getByTestId('doc-state').filter({ hasText: 'Revision 1' }).waitFor()
  // Publishing with neither GitLab nor Slack linked says so.
  await view.getByTestId('doc-publish').click()
  await page.getByText(/nowhere to publish/).first().waitFor()
})

test('unsaved words outlive another tab, the other document and a reload of the window', async (t) => {
  const { page } = await freshApp(t, browser, seed)
  await page.getByTestId('tab-rca').click()
  const rca = page.getByTestId('doc-rca')
  await rca.getByTestId('doc-state').filter({ hasText: 'No RCA yet' }).waitFor()
  await rca.getByTestId('doc-editor').fill('# Our RCA\n\nwritten by hand')
  await page.getByTestId('tab-runbook').click() // the same view, now the runbook's
  const runbook = page.getByTestId('doc-runbook')
  await runbook.getByTestId('doc-state').filter({ hasText: 'No runbook yet' }).waitFor()
  assert.equal(await runbook.getByTestId('doc-editor').inputValue(), '', "the RCA's words are not the runbook's")
  await runbook.getByTestId('doc-editor').fill('1. block the IPs')
  await page.getByTestId('tab-timeline').click() // the view goes
  await page.getByTestId('entry').first().waitFor()
  await page.getByTestId('tab-rca').click()
  await rca.getByTestId('doc-state').filter({ hasText: 'Not saved yet' }).waitFor()
  assert.equal(await rca.getByTestId('doc-editor').inputValue(), '# Our RCA\n\nwritten by hand')
  await page.reload()
  await page.evaluate(() => window.__bridgeReady)
  await page.getByTestId('tab-runbook').click()
  await runbook.getByTestId('doc-state').filter({ hasText: 'Not saved yet' }).waitFor()
  assert.equal(await runbook.getByTestId('doc-editor').inputValue(), '1. block the IPs')
  // Saved, the words are no longer kept apart: a reload shows the saved revision.
  await runbook.getByTestId('doc-save').click()
  await runbook.getByTestId('doc-state').filter({ hasText: 'Revision 1' }).waitFor()
  await page.reload()
  await page.evaluate(() => window.__bridgeReady)
  await page.getByTestId('tab-runbook').click()
  const state = runbook.getByTestId('doc-state').filter({ hasText: 'Revision 1, saved by Ana' })
  await state.waitFor()
  assert.doesNotMatch(await state.textContent(), /unsaved/)
})
