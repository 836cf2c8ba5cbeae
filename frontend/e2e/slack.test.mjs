// Slack in the app: the Slack dialog (from Settings) connects the workspace, links the incident
// to a new channel, sets the posting policy and imports the channel; imported messages render
// as inert text with their link back to Slack. The fake Slack runs inside the harness.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { checkedIs, cli, freshApp, launch, refuseChange } from './harness.mjs'

let browser

before(async () => {
  browser = await launch()
})

after(() => browser?.close())

function seed(dataDir) {
  cli(dataDir, 'config', 'set', 'author', 'Ana')
  cli(dataDir, 'incident', 'new', 'Credential stuffing on SSO', '--severity', 'critical')
  cli(dataDir, 'note', '--at', '-10m', 'PagerDuty fired for SSO error rate #start-time')
}

// slackCall calls the fake Slack's Web API as a person's client would (the bot token serves).
async function slackCall(base, method, params) {
  const res = await fetch(base + method, {
    method: 'POST',
    headers: { Authorization: 'Bearer xoxb-fake-bot', 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify(params),
  })
  const body = await res.json()
  assert.ok(body.ok, `${method}: ${JSON.stringify(body)}`)
  return body
}

test('the Slack dialog connects, links a channel, sets the policy and imports messages as inert text', async (t) => {
  const { page, dataDir, harness } = await freshApp(t, browser, seed, undefined, { fakeSlack: true })
  await page.getByTestId('settings').click()
  await page.getByTestId('settings-slack').click()
  const dialog = page.getByRole('dialog', { name: 'Slack' })
  await dialog.waitFor()
  // A wrong token is refused with Slack's reason; empty fields use the environment's tokens.
  await page.getByTestId('slack-bot-token').fill('xoxb-wrong')
  await page.getByTestId('slack-app-token').fill('xapp-wrong')
  await page.getByTestId('slack-connect').click()
  await page.getByText(/invalid_auth/).first().waitFor()
  await page.getByTestId('slack-bot-token').fill('')
  await page.getByTestId('slack-app-token').fill('')
  await page.getByTestId('slack-connect').click()
  await page.getByTestId('slack-workspace').filter({ hasText: 'tokens from the environment' }).waitFor()

  await page.getByTestId('slack-link-new').click()
  await page.getByTestId('slack-channel').filter({ hasText: /#inc-\d{8}-credential-stuffing-on-sso/ }).waitFor()
  assert.equal(await page.getByTestId('slack-policy-tagged').isChecked(), true, 'tagged is the default policy')
  await page.getByTestId('slack-policy-all').check()
  // The label says the same words, so wait for the toast that confirms the stored change.
  await page.getByTestId('toast').filter({ hasText: 'Every entry (but task changes) is posted to the channel.' }).waitFor()
  const st = JSON.parse(cli(dataDir, 'slack', 'status', '--json'))
  assert.equal(st.policy, 'all')
  const channel = st.channel.channel_id

  // A change Blotter refuses does not look stored: the radios go back to the stored policy.
  await refuseChange(page, 'Slack.SetPolicy', 'slack-policy-none')
  await checkedIs(page, 'slack-policy-all', true)
  assert.equal(await page.getByTestId('slack-policy-none').isChecked(), false)
  assert.equal(JSON.parse(cli(dataDir, 'slack', 'status', '--json')).policy, 'all')

  // Someone writes in the channel, hostile markup included; the import brings it in.
  await slackCall(harness.slack, 'chat.postMessage', {
    channel, text: 'ask <@U0ANA> about <https://evil.example/x|the report> &lt;img src=x onerror=alert(1)&gt; *now*',
  })
  await page.getByTestId('slack-import').click()
  await page.getByText(/messages read: 1 added/).first().waitFor()
  await page.keyboard.press('Escape')
  await page.keyboard.press('Escape')
  await page.getByRole('dialog').waitFor({ state: 'detached' })

  const entry = page.getByTestId('entry').filter({ hasText: 'ask @Ana Lima about' })
  await entry.waitFor()
  const text = await entry.getByTestId('entry-text').innerText()
  assert.match(text, /<img src=x onerror=alert\(1\)>/, 'the markup shows as text')
  assert.equal(await entry.locator('img').count(), 0, 'no image element came from Slack text')
  const link = entry.getByTestId('entry-source')
  assert.equal(await link.textContent(), 'in Slack ↗')
  assert.match(await link.getAttribute('href'), new RegExp(`^https://fake\\.slack\\.com/archives/${channel}/p\\d+$`))
  const reportLink = entry.getByTestId('entry-text').getByRole('link', { name: 'the report' })
  assert.equal(await reportLink.getAttribute('href'), 'https://evil.example/x')

  // The tagged milestone and later notes reach the channel with the background sync.
  cli(dataDir, 'note', 'Blocked 203.0.113.7 at the edge')
  const deadline = Date.now() + 15000
  let texts = []
  while (Date.now() < deadline) {
    const hist = await slackCall(harness.slack, 'conversations.history', { channel, limit: 100 })
    texts = hist.messages.map((m) => m.text)
    if (texts.some((x) => x.includes('Blocked 203.0.113.7'))) break
    await new Promise((r) => setTimeout(r, 200))
  }
  assert.ok(texts.some((x) => x.includes('Blocked 203.0.113.7')), JSON.stringify(texts))
  assert.ok(texts.some((x) => x.includes('PagerDuty fired')), 'the record before the link was posted too')
})
