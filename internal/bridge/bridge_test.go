package bridge_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/blotterapp/blotter/internal/bridge"
)

// Shapes is bound as Wails binds a struct: methods with no result, a value, an error, or both.
type Shapes struct{ called int }

func (s *Shapes) Nothing()                      { s.called++ }
func (s *Shapes) Value() string                 { return "v" }
func (s *Shapes) Fails() error                  { return errors.New("refused") }
func (s *Shapes) Succeeds() error               { return nil }
func (s *Shapes) Both(n int) (int, error)       { return n * 2, nil }
func (s *Shapes) BothFails(int) (string, error) { return "", errors.New("no") }

// Every shape of result answers as the page's promise expects: the value (null for none), or
// a 500 with the error, and never a crash of the handler.
func TestCallShapes(t *testing.T) {
	shapes := &Shapes{}
	srv := httptest.NewServer(bridge.New([]any{shapes}, fstest.MapFS{}, nil))
	defer srv.Close()
	for _, tt := range []struct {
		body   string
		status int
		want   string
	}{
		{`{"method":"Shapes.Nothing","args":[]}`, 200, "null"},
		{`{"method":"Shapes.Value","args":[]}`, 200, `"v"`},
		{`{"method":"Shapes.Fails","args":[]}`, 500, "refused"},
		{`{"method":"Shapes.Succeeds","args":[]}`, 200, "null"},
		{`{"method":"Shapes.Both","args":[21]}`, 200, "42"},
		{`{"method":"Shapes.BothFails","args":[1]}`, 500, "no"},
		{`{"method":"Shapes.Both","args":[]}`, 400, "no method Shapes.Both with that many arguments"},
		{`{"method":"Shapes.Both","args":["x"]}`, 400, "argument 1"},
	} {
		resp, err := http.Post(srv.URL+"/__bridge/call", "application/json", strings.NewReader(tt.body))
		if err != nil {
			t.Fatal(err)
		}
		var got strings.Builder
		_, _ = io.Copy(&got, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || strings.TrimSpace(got.String()) != tt.want && !strings.Contains(got.String(), tt.want) {
			t.Errorf("%s: %d %q; want %d %q", tt.body, resp.StatusCode, got.String(), tt.status, tt.want)
		}
	}
	if shapes.called != 1 {
		t.Errorf("Nothing ran %d times, want once", shapes.called)
	}
}
