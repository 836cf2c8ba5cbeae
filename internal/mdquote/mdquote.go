// Package mdquote quotes recorded text in Markdown so that nothing in it is read as markup:
// code spans and fences whose delimiter is longer than any run of backticks inside.
package mdquote

import (
	"sort"
	"strings"
)

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

// RunLen returns the length of the run of rs[i] (backticks, tildes, asterisks) starting at i.
func RunLen(rs []rune, i int) int {
	n := 0
	for i+n < len(rs) && rs[i+n] == rs[i] {
		n++
	}
	return n
}

// Runs holds the start of every maximal backtick run of a line, by length, so finding a code
// span's closing run is a binary search instead of a scan (a line of many runs stays linear).
type Runs map[int][]int

// IndexRuns indexes the backtick runs of a line.
func IndexRuns(rs []rune) Runs {
	ix := Runs{}
	for i := 0; i < len(rs); {
		if rs[i] != '`' {
			i++
			continue
		}
		n := RunLen(rs, i)
		ix[n] = append(ix[n], i)
		i += n
	}
	return ix
}

// Closing returns the index after the first run of exactly n backticks starting at or after
// from, or -1.
func (ix Runs) Closing(from, n int) int {
	starts := ix[n]
	if k := sort.SearchInts(starts, from); k < len(starts) {
		return starts[k] + n
	}
	return -1
}
