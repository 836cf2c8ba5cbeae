// Renders entry text as Markdown that can do no harm: text from Slack, GitLab or a clipboard
// must never run script, load remote content or navigate the app away.
import { Marked } from 'marked'
import DOMPurify from 'dompurify'

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const escapeHTML = (s: string) => s.replace(/[&<>"']/g, (c) => escapes[c])

// Raw HTML in entry text is shown as written, never parsed: a responder who pastes a WAF log
// line or an attacker's payload, or a Slack message with "<b>" in it, must see those characters,
// not an empty space where the sanitizer removed them. Markdown's own links, images and
// emphasis still render (and are sanitized below).
const marked = new Marked({
  gfm: true, breaks: true, async: false,
  renderer: { html: ({ text }) => escapeHTML(text) },
})

// Only images from the evidence vault may load; a remote image would tell its server that
// someone is reading (a tracking pixel) and is refused.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName === 'IMG') {
    const src = node.getAttribute('src') ?? ''
    if (!src.startsWith('/evidence/')) node.remove()
  }
  if (node.nodeName === 'A') {
    node.setAttribute('rel', 'noopener noreferrer nofollow')
    node.setAttribute('data-external', 'true')
  }
})

const purifyConfig = {
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'svg', 'math', 'video', 'audio', 'source', 'link', 'meta', 'base'],
  FORBID_ATTR: ['style', 'srcset', 'formaction', 'xlink:href'],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|\/evidence\/)/i,
}

// Text with none of these is plain prose: Markdown would only wrap it in <p>, so it skips the
// parser and the sanitizer (most notes; scrolling a long timeline renders many per frame).
const markdownSyntax = /[*_`\[\]<>#|~\\&=]|^\s*(?:[-+]|\d+[.)])\s|\n|:\/\/|www\./m

/** renderMarkdown returns sanitized HTML for the text. */
export function renderMarkdown(text: string): string {
  if (!markdownSyntax.test(text)) return '<p>' + escapeHTML(text) + '</p>\n'
  const html = marked.parse(text) as string
  return DOMPurify.sanitize(html, purifyConfig) as string
}

/** highlight wraps the words of a search in <mark> inside sanitized HTML, touching text only. */
export function highlight(html: string, words: string[]): string {
  const terms = words.map((w) => w.replace(/[*"]/g, '').trim()).filter((w) => w.length > 0)
  if (terms.length === 0) return html
  const pattern = new RegExp('(' + terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|') + ')', 'gi')
  const root = document.createElement('div')
  root.innerHTML = html
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
  const texts: Text[] = []
  while (walker.nextNode()) texts.push(walker.currentNode as Text)
  for (const t of texts) {
    const parts = t.data.split(pattern)
    if (parts.length === 1) continue
    const frag = document.createDocumentFragment()
    parts.forEach((part, i) => {
      if (i % 2 === 1) {
        const mark = document.createElement('mark')
        mark.textContent = part
        frag.appendChild(mark)
      } else if (part) {
        frag.appendChild(document.createTextNode(part))
      }
    })
    t.replaceWith(frag)
  }
  return root.innerHTML
}
