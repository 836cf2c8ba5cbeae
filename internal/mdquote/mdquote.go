// Package mdquote quotes recorded text in Markdown so that nothing in it is read as markup:
// code spans and fences whose delimiter is longer than any run of backticks inside.
package mdquote

import "strings"

// LongestRun is the length of the longest run of c in s.
func LongestRun(s string, c byte) int {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

// Fence returns s as a fenced code block (with the info string info), its fence one backtick
// longer than any run in s and at least three, so the text cannot close it from inside.
func Fence(s, info string) string {
	s = strings.TrimRight(s, "\n")
	fence := strings.Repeat("`", max(3, LongestRun(s, '`')+1))
	return fence + info + "\n" + s + "\n" + fence
}
