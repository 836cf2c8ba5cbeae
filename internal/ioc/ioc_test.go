package ioc_test

import (
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/ioc"
)

func values(obs []blotter.Observable, kind string) []string {
	var out []string
	for _, o := range obs {
		if o.Kind == kind {
			out = append(out, o.Value)
		}
	}
	return out
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name, text, kind string
		want             []string
	}{
		{"ipv4", "blocked 10.0.0.1 and 192.168.1.254.", blotter.ObservableIPv4, []string{"10.0.0.1", "192.168.1.254"}},
		{"ipv4 defanged", "C2 at 203.0.113[.]7", blotter.ObservableIPv4, []string{"203.0.113.7"}},
		{"ipv4 out of range", "999.1.1.1 and 1.2.3", blotter.ObservableIPv4, nil},
		{"ipv6", "from 2001:db8::ff00:42:8329 and FE80::1", blotter.ObservableIPv6, []string{"2001:db8::ff00:42:8329", "fe80::1"}},
		{"clock is no ipv6", "at 12:30:45 we paged", blotter.ObservableIPv6, nil},
		{"url", "see https://grafana.example.com/d/abc?x=1).", blotter.ObservableURL, []string{"https://grafana.example.com/d/abc?x=1"}},
		{"url defanged", "hxxps://evil[.]example[.]net/login", blotter.ObservableURL, []string{"https://evil.example.net/login"}},
		{"domain", "resolves Evil.Example.CO.UK and api.github.com", blotter.ObservableDomain, []string{"evil.example.co.uk", "api.github.com"}},
		{"file names are no domains", "ran deploy.sh, sent report.zip, read notes.txt", blotter.ObservableDomain, nil},
		{"more labels make a domain", "cdn.evil.zip", blotter.ObservableDomain, []string{"cdn.evil.zip"}},
		{"email", "phish from Bob.Smith@Example.com", blotter.ObservableEmail, []string{"bob.smith@example.com"}},
		{"md5", "D41D8CD98F00B204E9800998ECF8427E", blotter.ObservableMD5, []string{"d41d8cd98f00b204e9800998ecf8427e"}},
		{"sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709", blotter.ObservableSHA1, []string{"da39a3ee5e6b4b0d3255bfef95601890afd80709"}},
		{"sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", blotter.ObservableSHA256, []string{"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}},
		{"other hex lengths", strings.Repeat("a", 33), blotter.ObservableMD5, nil},
		{"cve", "patched cve-2024-3094 and CVE-2021-44228", blotter.ObservableCVE, []string{"CVE-2024-3094", "CVE-2021-44228"}},
		{"duplicates once", "1.1.1.1 1.1.1.1", blotter.ObservableIPv4, []string{"1.1.1.1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := values(ioc.Extract(tt.text), tt.kind)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Extract(%q) %s = %q, want %q", tt.text, tt.kind, got, tt.want)
			}
		})
	}
}

// FuzzExtract checks that no text panics the extractor and that what it returns is sound: no
// duplicates, valid UTF-8, and addresses and hashes of the form their kind says.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{"10.0.0.1", "hxxp://a[.]b.com/x", "fe80::1%eth0", "a@b.co", "CVE-2024-1234",
		strings.Repeat("f", 64), "\xff\xfe1.2.3.4", "::", "[.]" + strings.Repeat("a.", 200) + "com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		seen := map[blotter.Observable]bool{}
		for _, o := range ioc.Extract(text) {
			if seen[o] {
				t.Fatalf("%v twice", o)
			}
			seen[o] = true
			if o.Value == "" || !utf8.ValidString(o.Value) {
				t.Fatalf("bad value %q", o.Value)
			}
			switch o.Kind {
			case blotter.ObservableIPv4, blotter.ObservableIPv6:
				if _, err := netip.ParseAddr(o.Value); err != nil {
					t.Fatalf("%s %q does not parse: %v", o.Kind, o.Value, err)
				}
			case blotter.ObservableMD5, blotter.ObservableSHA1, blotter.ObservableSHA256:
				if strings.Trim(o.Value, "0123456789abcdef") != "" {
					t.Fatalf("%s %q is not lower-case hex", o.Kind, o.Value)
				}
			}
		}
	})
}
