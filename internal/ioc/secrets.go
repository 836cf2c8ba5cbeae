package ioc

import (
	"regexp"
	"sort"

	"github.com/blotterapp/blotter/internal/blotter"
)

// secretPatterns find text that looks like a credential. A clipboard paste or a terminal
// excerpt often carries one; the local record keeps it (it is evidence) but marks it, so that
// nothing marked leaves the machine unmasked. The value is the last capture group when the
// pattern has one (a password after "password="), else the whole match.
var secretPatterns = []struct {
	kind string
	re   *regexp.Regexp
}{
	{"private-key", regexp.MustCompile(`-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----|$)`)},
	{"aws-access-key", regexp.MustCompile(`\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b`)},
	{"aws-secret-key", regexp.MustCompile(`(?i)aws.{0,20}?(?:secret|private)?.{0,20}?key.{0,5}?[:=]\s*["']?([A-Za-z0-9/+=]{40})\b`)},
	{"github-token", regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b`)},
	{"gitlab-token", regexp.MustCompile(`\bgl(?:pat|dt|ptt|rt|oas|cbt|ft|imt|agent|soat)-[A-Za-z0-9_\-]{20,}`)},
	{"slack-token", regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}`)},
	{"slack-webhook", regexp.MustCompile(`https://hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9/_-]+`)},
	{"google-api-key", regexp.MustCompile(`\bAIza[0-9A-Za-z_\-]{35}\b`)},
	{"stripe-key", regexp.MustCompile(`\b(?:sk|rk)_live_[0-9A-Za-z]{16,}\b`)},
	{"jwt", regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`)},
	{"url-password", regexp.MustCompile(`\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:([^/\s@]+)@`)},
	{"password", regexp.MustCompile(`(?i)(?:password|passwd|pwd|passphrase|secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret)\s*[:=]\s*["']?([^\s"']{6,})`)},
}

// FindSecrets returns where text holds something that looks like a secret, in order, without
// overlaps. Offsets are bytes.
func FindSecrets(text string) []blotter.Secret {
	var found []blotter.Secret
	for _, p := range secretPatterns {
		for _, m := range p.re.FindAllStringSubmatchIndex(text, -1) {
			start, end := m[0], m[1]
			if n := len(m); n > 2 && m[n-2] >= 0 {
				start, end = m[n-2], m[n-1]
			}
			found = append(found, blotter.Secret{Kind: p.kind, Start: start, End: end})
		}
	}
	sort.Slice(found, func(i, j int) bool {
		if found[i].Start != found[j].Start {
			return found[i].Start < found[j].Start
		}
		return found[i].End > found[j].End
	})
	// Keep the first of overlapping finds (the earliest, then the longest).
	out := found[:0]
	for _, s := range found {
		if len(out) > 0 && s.Start < out[len(out)-1].End {
			continue
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
