package gitlab_test

import (
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/gitlab"
	"github.com/blotterapp/blotter/internal/gitlab/gitlabfake"
)

// patternReader produces size deterministic bytes. After gateAt bytes it waits until gate is
// closed: an upload that buffered the whole file before sending would never let it open.
type patternReader struct {
	size, off, gateAt int64
	gate              <-chan struct{}
	waited            time.Duration
}

func (r *patternReader) Read(p []byte) (int, error) {
	if r.off >= r.size {
		return 0, io.EOF
	}
	if r.gate != nil && r.off >= r.gateAt {
		start := time.Now()
		select {
		case <-r.gate:
		case <-time.After(5 * time.Second):
			return 0, errors.New("the server saw nothing while the file was being read: the upload is not streamed")
		}
		r.waited += time.Since(start)
		r.gate = nil
	}
	n := int64(len(p))
	if n > r.size-r.off {
		n = r.size - r.off
	}
	if r.gate != nil && r.off+n > r.gateAt {
		n = r.gateAt - r.off
	}
	for i := range n {
		p[i] = byte((r.off + i) * 7 % 251)
	}
	r.off += n
	return int(n), nil
}

func patternSum(size int64) [32]byte {
	h := sha256.New()
	io.Copy(h, &patternReader{size: size})
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

// countingBody counts the request bytes the server has read and opens gate past a threshold.
type countingBody struct {
	io.ReadCloser
	n      *atomic.Int64
	at     int64
	opened *atomic.Bool
	gate   chan struct{}
}

func (b countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if b.n.Add(int64(n)) >= b.at && b.opened.CompareAndSwap(false, true) {
		close(b.gate)
	}
	return n, err
}

func TestUploadStreams(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	const size = 5 << 20
	gate := make(chan struct{})
	var received atomic.Int64
	var opened atomic.Bool
	ts := proxy(t, f.srv.URL(), func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/uploads") {
			r.Body = countingBody{ReadCloser: r.Body, n: &received, at: 256 << 10, opened: &opened, gate: gate}
		}
		return false
	})
	c := newClient(t, ts.URL, token)

	// The reader stops at 1 MiB until the server has received 256 KiB of the request.
	src := &patternReader{size: size, gateAt: 1 << 20, gate: gate}
	md, url, err := c.Upload(f.ctx, project, "capture.pcap", src)
	if err != nil {
		t.Fatal(err)
	}
	stored := f.srv.Uploads(project)
	if len(stored) != 1 || len(stored[0].Content) != size || sha256.Sum256(stored[0].Content) != patternSum(size) {
		t.Fatalf("stored: %d uploads", len(stored))
	}
	if url != stored[0].URL() || md != "[capture.pcap]("+url+")" {
		t.Errorf("answer: %q %q", md, url)
	}
	if !opened.Load() {
		t.Error("the server never saw the first bytes before the reader finished")
	}

	// Images come back as image Markdown; names lose any directory.
	md, _, err = f.c.Upload(f.ctx, project, "../shots/login page.png", strings.NewReader("\x89PNG"))
	if err != nil || !strings.HasPrefix(md, "![login page](/uploads/") {
		t.Errorf("image: %q %v", md, err)
	}
}

func TestUploadErrors(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{MaxUploadSize: 1 << 10})
	_, _, err := f.c.Upload(f.ctx, project, "big.bin", &patternReader{size: 64 << 10})
	if e := apiErr(t, err); e.Status != 413 || e.Code != blotter.EINVALID || e.Retryable {
		t.Errorf("too large: %+v", e)
	}

	// A file that cannot be read is a local problem, said as one.
	failing := io.MultiReader(strings.NewReader("start"), iotestErrReader{errors.New("input/output error")})
	_, _, err = f.c.Upload(f.ctx, project, "evidence.log", failing)
	if e := apiErr(t, err); e.Status != 0 || e.Retryable || !strings.Contains(e.Message, "cannot read evidence.log: input/output error") {
		t.Errorf("read error: %+v", e)
	}
	if _, _, err := f.c.Upload(f.ctx, project, "/", strings.NewReader("x")); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Errorf("no name: %v", err)
	}
	if got := f.srv.Creates("upload"); got != 0 {
		t.Errorf("uploads: %d, want 0", got)
	}
	_ = gitlab.DefaultUploadTimeout
}

type iotestErrReader struct{ err error }

func (r iotestErrReader) Read([]byte) (int, error) { return 0, r.err }
