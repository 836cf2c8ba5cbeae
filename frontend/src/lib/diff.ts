// A word diff for the history view: what an edit removed and added.
export type Piece = { kind: 'same' | 'added' | 'removed'; text: string }

/** diffWords returns the pieces that turn a into b, by longest common subsequence of words. */
export function diffWords(a: string, b: string): Piece[] {
  const x = a.split(/(\s+)/)
  const y = b.split(/(\s+)/)
  // Beyond this size an LCS table costs too much; show the change whole.
  if (x.length * y.length > 4_000_000) return [{ kind: 'removed', text: a }, { kind: 'added', text: b }]
  const n = x.length, m = y.length
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1))
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1])
  const out: Piece[] = []
  const push = (kind: Piece['kind'], text: string) => {
    const last = out[out.length - 1]
    if (last && last.kind === kind) last.text += text
    else out.push({ kind, text })
  }
  let i = 0, j = 0
  while (i < n && j < m) {
    if (x[i] === y[j]) { push('same', x[i]); i++; j++ }
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) push('removed', x[i++])
    else push('added', y[j++])
  }
  while (i < n) push('removed', x[i++])
  while (j < m) push('added', y[j++])
  return out.filter((p) => p.text !== '')
}
