package ioc_test

import (
	"strings"
	"testing"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/ioc"
)

func TestFindSecrets(t *testing.T) {
	tests := []struct {
		name, text, kind, value string
	}{
		{"aws access key", "key id AKIAIOSFODNN7EXAMPLE leaked", "aws-access-key", "AKIAIOSFODNN7EXAMPLE"},
		{"aws secret key", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws-secret-key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
		{"github token", "token ghp_" + strings.Repeat("a", 36) + " in a gist", "github-token", "ghp_" + strings.Repeat("a", 36)},
		{"gitlab token", "glpat-" + strings.Repeat("x", 20), "gitlab-token", "glpat-" + strings.Repeat("x", 20)},
		{"slack token", "xoxb-123456789012-abcdefABCDEF", "slack-token", "xoxb-123456789012-abcdefABCDEF"},
		{"password in url", "psql postgres://app:hunter2@db.internal/prod", "url-password", "hunter2"},
		{"password assignment", `DB_PASSWORD="correct-horse-battery"`, "password", "correct-horse-battery"},
		{"jwt", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlX2hlcmU", "jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlX2hlcmU"},
		{"private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n-----END OPENSSH PRIVATE KEY-----", "private-key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n-----END OPENSSH PRIVATE KEY-----"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ioc.FindSecrets(tt.text)
			if len(got) != 1 || got[0].Kind != tt.kind || tt.text[got[0].Start:got[0].End] != tt.value {
				t.Fatalf("FindSecrets(%q) = %+v, want one %s at %q", tt.text, got, tt.kind, tt.value)
			}
			masked := blotter.MaskSecrets(tt.text, got)
			if strings.Contains(masked, tt.value) || !strings.Contains(masked, "[REDACTED "+tt.kind+"]") {
				t.Errorf("masked: %q", masked)
			}
		})
	}
	for _, clean := range []string{"blocked 203.0.113.7", "the password policy was changed", "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"} {
		if got := ioc.FindSecrets(clean); got != nil {
			t.Errorf("FindSecrets(%q) = %+v, want none", clean, got)
		}
	}
}

func TestMaskSecretsKeepsTheRest(t *testing.T) {
	text := "user admin password=s3cr3t-value then AKIAIOSFODNN7EXAMPLE end"
	got := blotter.MaskSecrets(text, ioc.FindSecrets(text))
	if got != "user admin password=[REDACTED password] then [REDACTED aws-access-key] end" {
		t.Errorf("MaskSecrets = %q", got)
	}
	// Stale marks past the text mask to its end rather than leak.
	if got := blotter.MaskSecrets("short", []blotter.Secret{{Kind: "x", Start: 2, End: 99}}); got != "sh[REDACTED x]" {
		t.Errorf("stale mark: %q", got)
	}
}

func FuzzFindSecrets(f *testing.F) {
	for _, s := range []string{"AKIAIOSFODNN7EXAMPLE", "password=hunter22", "-----BEGIN RSA PRIVATE KEY-----", "https://u:p@h/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		end := 0
		for _, s := range ioc.FindSecrets(text) {
			if s.Start < end || s.End <= s.Start || s.End > len(text) {
				t.Fatalf("bad or overlapping mark %+v in %q", s, text)
			}
			end = s.End
		}
	})
}
