// Package ioc finds observables (indicators of compromise) in free text: IPv4 and IPv6
// addresses, domains, URLs, MD5/SHA-1/SHA-256 hashes, e-mail addresses and CVE ids.
//
// Responders paste defanged indicators ("hxxp://evil[.]com", "10.0.0[.]1") so that nothing is
// clickable by accident; Extract reads them refanged, so a defanged and a live mention of the
// same indicator are one observable.
package ioc

import (
	"net/netip"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/blotterapp/blotter/internal/blotter"
)

var (
	urlRE    = regexp.MustCompile(`(?i)\b(?:https?|ftp)://[^\s<>"'\x60]+`)
	emailRE  = regexp.MustCompile(`(?i)\b[a-z0-9._%+-]+@(?:[a-z0-9-]+\.)+[a-z]{2,63}\b`)
	ipv4RE   = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}\b`)
	ipv6RE   = regexp.MustCompile(`(?i)(?:^|[^0-9a-z:])((?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:%[0-9a-z]+)?)`)
	hashRE   = regexp.MustCompile(`\b[0-9a-fA-F]{32,64}\b`)
	cveRE    = regexp.MustCompile(`(?i)\bCVE-\d{4}-\d{4,7}\b`)
	domainRE = regexp.MustCompile(`(?i)\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]\b`)

	// refang undoes the usual ways of defanging an indicator.
	refang = strings.NewReplacer(
		"[.]", ".", "(.)", ".", "{.}", ".", "[dot]", ".", "(dot)", ".",
		"[:]", ":", "[@]", "@", "(at)", "@", "[at]", "@",
		"hxxp", "http", "hXXp", "http", "HXXP", "HTTP", "fxp", "ftp",
	)
)

// fileExtensions are real top-level domains that are far more often the end of a file name in
// incident notes ("run deploy.sh", "report.zip"); a bare name.ext with one of them is not taken
// as a domain. With more labels ("cdn.evil.zip") it still is.
var fileExtensions = map[string]bool{
	"sh": true, "py": true, "zip": true, "mov": true, "md": true, "rs": true, "pl": true, "ps": true,
	"cc": true, "so": true, "exe": true, "bin": true, "log": true, "sql": true, "ini": true, "conf": true,
	"txt": true, "csv": true, "json": true, "yaml": true, "yml": true, "go": true, "js": true, "ts": true,
	"php": true, "rb": true, "java": true, "xml": true, "html": true, "htm": true, "png": true, "jpg": true,
	"pdf": true, "doc": true, "docx": true, "xls": true, "xlsx": true, "pcap": true, "gz": true, "tar": true,
}

// Extract returns the observables in text, each once, in the order they first appear by kind.
func Extract(text string) []blotter.Observable {
	text = refang.Replace(text)
	var (
		out  []blotter.Observable
		seen = map[blotter.Observable]bool{}
	)
	add := func(kind, value string) {
		o := blotter.Observable{Kind: kind, Value: value}
		if value != "" && !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	// Each pattern runs only where a cheap marker says it may match: most notes are plain
	// words, and the regexp engine is the costliest step of storing an entry.
	hasDot := strings.IndexByte(text, '.') >= 0
	if strings.Contains(text, "://") {
		for _, m := range urlRE.FindAllString(text, -1) {
			m = strings.TrimRight(m, ".,;:!?)]}'\">")
			if u, err := url.Parse(m); err == nil && u.Host != "" {
				add(blotter.ObservableURL, m)
				if host := strings.ToLower(u.Hostname()); isDomain(host) {
					add(blotter.ObservableDomain, host)
				}
			}
		}
	}
	if hasDot && strings.IndexByte(text, '@') >= 0 {
		for _, m := range emailRE.FindAllString(text, -1) {
			m = strings.ToLower(m)
			if host := m[strings.LastIndexByte(m, '@')+1:]; isDomain(host) {
				add(blotter.ObservableEmail, m)
				add(blotter.ObservableDomain, host)
			}
		}
	}
	if hasDot {
		for _, m := range ipv4RE.FindAllString(text, -1) {
			if a, err := netip.ParseAddr(m); err == nil && a.Is4() {
				add(blotter.ObservableIPv4, a.String())
			}
		}
	}
	if strings.Count(text, ":") >= 2 {
		for _, sm := range ipv6RE.FindAllStringSubmatch(text, -1) {
			if a, err := netip.ParseAddr(sm[1]); err == nil && a.Is6() && !a.Is4In6() {
				add(blotter.ObservableIPv6, a.String())
			}
		}
	}
	if hasHexRun(text, 32) {
		for _, m := range hashRE.FindAllString(text, -1) {
			switch len(m) {
			case 32:
				add(blotter.ObservableMD5, strings.ToLower(m))
			case 40:
				add(blotter.ObservableSHA1, strings.ToLower(m))
			case 64:
				add(blotter.ObservableSHA256, strings.ToLower(m))
			}
		}
	}
	if strings.Contains(strings.ToLower(text), "cve-") {
		for _, m := range cveRE.FindAllString(text, -1) {
			add(blotter.ObservableCVE, strings.ToUpper(m))
		}
	}
	if hasDot {
		for _, m := range domainRE.FindAllString(text, -1) {
			if m = strings.ToLower(m); isDomain(m) {
				add(blotter.ObservableDomain, m)
			}
		}
	}
	return out
}

// hasHexRun reports whether text holds n or more hex digits in a row.
func hasHexRun(text string, n int) bool {
	run := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' {
			if run++; run >= n {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// isDomain reports whether name ends in a public suffix that ICANN manages and has a label
// before it, and is not a file name in disguise.
func isDomain(name string) bool {
	suffix, icann := publicsuffix.PublicSuffix(name)
	if !icann || suffix == name {
		return false
	}
	labels := strings.Split(name, ".")
	return !(len(labels) == 2 && fileExtensions[labels[1]])
}
