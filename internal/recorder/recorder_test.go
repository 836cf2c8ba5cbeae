package workspace_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/capture"
	"github.com/blotterapp/blotter/internal/workspace"
)

func openWorkspace(t *testing.T) *workspace.Workspace {
	t.Helper()
	ws, err := workspace.Open(context.Background(), filepath.Join(t.TempDir(), "data"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	inc := &blotter.Incident{Title: "Clipboard", CreatedBy: "ana"}
	if err := ws.DB.CreateIncident(context.Background(), inc); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.UseIncident(context.Background(), inc.ID); err != nil {
		t.Fatal(err)
	}
	return ws
}

func TestCaptureClip(t *testing.T) {
	at := time.Date(2026, 11, 22, 14, 3, 7, 123456789, time.UTC)
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 100)...)
	tests := []struct {
		name      string
		clip      capture.Clip
		text      string // the entry's text, or a prefix of it
		evidence  string // the evidence file name's suffix, "" for none
		mediaType string
	}{
		{"text", capture.Clip{Text: []byte("ssh root@10.0.0.5 -i stolen.pem")}, "ssh root@10.0.0.5 -i stolen.pem", "", ""},
		{"image", capture.Clip{Image: png}, "", ".png", "image/png"},
		{"text over the limit", capture.Clip{Text: bytes.Repeat([]byte("x"), blotter.MaxTextBytes+1)}, "Clipboard content (262145 bytes) kept as a file: it is over the 256 KiB text limit.", ".txt", "text/plain"},
		{"binary", capture.Clip{Text: []byte{0xff, 0xfe, 0x00, 0x41}}, "Clipboard content (4 bytes) kept as a file: it is not UTF-8 text.", ".bin", ""},
		{"NUL bytes", capture.Clip{Text: []byte("a\x00b")}, "Clipboard content (3 bytes) kept as a file: it holds NUL bytes.", ".txt", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := openWorkspace(t)
			e, err := ws.CaptureClip(context.Background(), &tt.clip, at)
			if err != nil {
				t.Fatal(err)
			}
			if e.Kind != blotter.KindClipboard || !e.OccurredAt.Equal(at) || e.Text != tt.text {
				t.Errorf("entry = %+v", e)
			}
			if tt.evidence == "" {
				if len(e.Evidence) != 0 {
					t.Errorf("evidence %+v, want none", e.Evidence)
				}
				return
			}
			if len(e.Evidence) != 1 || !strings.HasSuffix(e.Evidence[0].Name, tt.evidence) || !strings.HasPrefix(e.Evidence[0].MediaType, tt.mediaType) {
				t.Fatalf("evidence = %+v, want a %s file of %s", e.Evidence, tt.evidence, tt.mediaType)
			}
			if err := ws.Vault.Check(e.Evidence[0].SHA256, e.Evidence[0].Size); err != nil {
				t.Errorf("the stored clipboard does not check: %v", err)
			}
		})
	}
}

func TestCaptureClipTooLarge(t *testing.T) {
	ws := openWorkspace(t)
	_, err := ws.CaptureClip(context.Background(), &capture.Clip{Text: make([]byte, workspace.MaxClipboardBytes+1)}, time.Now())
	if blotter.ErrorCode(err) != blotter.EINVALID || !strings.Contains(err.Error(), "the limit is 64 MiB") {
		t.Fatalf("a 64 MiB+ clipboard: %v", err)
	}
	if got, _ := ws.DB.ListEntries(context.Background(), blotter.EntryFilter{}); len(got) != 0 {
		t.Errorf("a refused capture left %d entries", len(got))
	}
}
