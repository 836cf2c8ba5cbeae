import { describe, it, expect } from 'vitest'
import { renderMarkdown, highlight } from './markdown'

describe('renderMarkdown', () => {
  const payloads = [
    '<img src=x onerror=alert(1)>',
    '<script>alert(1)</script>',
    '[click](javascript:alert(1))',
    '<a href="javascript:alert(1)">x</a>',
    '<svg onload=alert(1)><circle r=1 /></svg>',
    '![pixel](https://tracker.example.com/p.gif)',
    '<iframe src="https://evil.example.com"></iframe>',
    '<div style="background:url(https://evil.example.com/x)">styled</div>',
    '<form action="https://evil.example.com"><button>go</button></form>',
  ]
  for (const p of payloads) {
    it(`keeps ${p} inert`, () => {
      const root = document.createElement('div')
      root.innerHTML = renderMarkdown(p)
      expect(root.querySelectorAll('img, script, iframe, svg, form, button, [style], [onerror], [onload]').length).toBe(0)
      for (const a of root.querySelectorAll('a')) expect(a.getAttribute('href') ?? '').not.toMatch(/^javascript:/i)
    })
  }

  it('shows raw HTML as the characters written', () => {
    const root = document.createElement('div')
    root.innerHTML = renderMarkdown('GET /search?q=<script>alert(1)</script> 403\n\n<img src=x onerror=alert(1)>')
    expect(root.textContent).toContain('<script>alert(1)</script>')
    expect(root.textContent).toContain('<img src=x onerror=alert(1)>')
    expect(root.querySelectorAll('script, img').length).toBe(0)
  })

  it('keeps ordinary Markdown', () => {
    const html = renderMarkdown('**bold** and `code` and [link](https://example.com)')
    expect(html).toContain('<strong>bold</strong>')
    expect(html).toContain('<code>code</code>')
    expect(html).toContain('href="https://example.com"')
    expect(html).toContain('rel="noopener noreferrer nofollow"')
  })

  it('renders plain prose without the parser, escaped', () => {
    expect(renderMarkdown('host beaconing every 60s, isolating it')).toBe('<p>host beaconing every 60s, isolating it</p>\n')
    expect(renderMarkdown("it's \"quoted\"")).toBe('<p>it&#39;s &quot;quoted&quot;</p>\n')
  })

  it('allows vault images only', () => {
    expect(renderMarkdown('![shot](/evidence/' + 'a'.repeat(64) + ')')).toContain('<img')
  })
})

describe('highlight', () => {
  it('marks matches in text only', () => {
    const out = highlight('<a href="https://login.example.com">login page</a> Login', ['login'])
    expect(out).toBe('<a href="https://login.example.com"><mark>login</mark> page</a> <mark>Login</mark>')
  })
  it('treats regexp characters literally', () => {
    expect(highlight('a.b axb', ['a.b'])).toBe('<mark>a.b</mark> axb')
  })
})
