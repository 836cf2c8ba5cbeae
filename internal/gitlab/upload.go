package gitlab

// Evidence files go to the project's uploads, to be linked from notes and timeline events.
// https://docs.gitlab.com/api/project_markdown_uploads/

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path"
	"strings"
	"unicode"

	glapi "gitlab.com/gitlab-org/api/client-go"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Upload streams r to the project's uploads as a file called name and returns the Markdown
// that links it ("![name](/uploads/…)" for images) and its URL relative to the project. The
// file is never held in memory: it is written into the request as it is read (client-go's
// upload helper would buffer it whole). It has its own time limit (WithUploadTimeout).
//
// Uploads carry no marker: after an Uncertain failure, uploading again leaves at most an
// unreferenced copy, which nobody sees. Errors: EINVALID for a file larger than GitLab accepts.
func (c *Client) Upload(ctx context.Context, project, name string, r io.Reader) (markdown, url string, err error) {
	const op = "upload"
	if err := checkProject(op, project); err != nil {
		return "", "", err
	}
	name = cleanFileName(name)
	if name == "" {
		return "", "", &APIError{Op: op, Code: blotter.EINVALID, Message: "the file has no name"}
	}

	// Write the multipart body from a goroutine into a pipe the request reads.
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	var readErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		part, err := mw.CreateFormFile("file", name)
		if err == nil {
			_, err = io.Copy(part, readerOnly{r, &readErr})
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	defer func() {
		pr.Close()
		select {
		case <-done:
		case <-ctx.Done():
		}
	}()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/api/v4/projects/"+glapi.PathEscape(project)+"/uploads", pr)
	if err != nil {
		return "", "", &APIError{Op: op, Code: blotter.EINTERNAL, Message: err.Error(), Err: err}
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/json")
	req.Header.Set("PRIVATE-TOKEN", c.token)
	req.Header.Set("User-Agent", userAgent)
	resp, err := c.uploadHTTP.Do(req)
	if err != nil {
		pr.Close()
		select {
		case <-done:
			if readErr != nil {
				return "", "", &APIError{Op: op, Code: blotter.EUNAVAILABLE, Err: readErr, Message: fmt.Sprintf("cannot read %s: %v", name, readErr)}
			}
		case <-ctx.Done():
		}
		return "", "", c.transportError(op, true, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return "", "", c.statusError(op, true, resp.StatusCode, resp.Header, body)
	}
	var up uploadWire
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxErrorBody)).Decode(&up); err != nil {
		return "", "", c.answerError(op, true, resp.StatusCode, resp.Header, err)
	}
	return up.Markdown, up.URL, nil
}

// readerOnly hides any WriterTo of the reader (io.Copy would hand it the part writer, which is
// fine, but keeping one path keeps the error attribution simple) and records read errors.
type readerOnly struct {
	r   io.Reader
	err *error
}

// Read reads from the file, noting an error other than EOF.
func (ro readerOnly) Read(p []byte) (int, error) {
	n, err := ro.r.Read(p)
	if err != nil && err != io.EOF {
		*ro.err = err
	}
	return n, err
}

// cleanFileName keeps the last element of name, without control characters.
func cleanFileName(name string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(path.Base(strings.ReplaceAll(name, `\`, "/")))
	if name == "." || name == "/" || name == ".." {
		return ""
	}
	return name
}

// Wire structs.

type uploadWire struct {
	ID       int64  `json:"id"`
	Alt      string `json:"alt"`
	URL      string `json:"url"`
	FullPath string `json:"full_path"`
	Markdown string `json:"markdown"`
}
