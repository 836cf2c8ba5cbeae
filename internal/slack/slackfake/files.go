package slackfake

// Files, uploaded the v2 way (files.getUploadURLExternal, a POST to the
// upload URL, files.completeUploadExternal), read with files.info and
// downloaded from url_private(_download).

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

type file struct {
	id, name, title    string
	mimetype, filetype string
	user               string
	created            time.Time
	length             int // as declared to files.getUploadURLExternal
	content            []byte
	uploaded           bool // the upload URL got the bytes
	completed          bool // files.completeUploadExternal was called
	shares             []share
}

// share is a file shared into a channel by a message. Slack shares
// uploads asynchronously: the share shows in files.info from visibleAt.
type share struct {
	channel   *channel
	ts        string
	threadTS  string
	visibleAt time.Time
}

// fileTypes maps extensions to Slack's filetype and a mimetype; the
// system's MIME tables are not used so that the fake answers the same
// everywhere.
var fileTypes = map[string][2]string{
	".txt":  {"text", "text/plain"},
	".log":  {"text", "text/plain"},
	".md":   {"markdown", "text/plain"},
	".csv":  {"csv", "text/csv"},
	".json": {"json", "application/json"},
	".png":  {"png", "image/png"},
	".jpg":  {"jpg", "image/jpeg"},
	".jpeg": {"jpg", "image/jpeg"},
	".gif":  {"gif", "image/gif"},
	".pdf":  {"pdf", "application/pdf"},
	".zip":  {"zip", "application/zip"},
}

func (s *Server) newFileLocked(name, title, userID string) *file {
	ft, ok := fileTypes[strings.ToLower(path.Ext(name))]
	if !ok {
		ft = [2]string{"binary", "application/octet-stream"}
	}
	if title == "" {
		title = name
	}
	f := &file{id: s.newIDLocked("F"), name: name, title: title, filetype: ft[0],
		mimetype: ft[1], user: userID, created: s.now()}
	s.files[f.id] = f
	return f
}

func (s *Server) filesGetUploadURLExternal(q *request) (obj, error) {
	name := q.get("filename")
	length, err := strconv.Atoi(q.get("length"))
	if name == "" || err != nil || length <= 0 {
		return nil, apiError("invalid_arguments")
	}
	f := s.newFileLocked(name, "", BotUserID)
	f.length = length
	key := fmt.Sprintf("%s-%d", f.id, s.now().UnixNano())
	s.uploads[key] = f
	return obj{"upload_url": s.baseURL + "upload/v1/" + key, "file_id": f.id}, nil
}

// serveUpload takes the file's bytes, as a multipart "file" field (what
// slack-go sends) or as the raw body. Like Slack's upload URLs it needs no
// token: the URL is the credential.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	key := strings.TrimPrefix(r.URL.Path, "/upload/v1/")
	s.mu.Lock()
	f, ok := s.uploads[key]
	s.mu.Unlock()
	if !ok {
		http.Error(w, "Not Found", http.StatusNotFound)
		return
	}
	var body []byte
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		var part io.ReadCloser
		if part, _, err = r.FormFile("file"); err == nil {
			body, err = io.ReadAll(part)
			part.Close()
		}
	} else {
		body, err = io.ReadAll(r.Body)
	}
	if err != nil {
		http.Error(w, "bad upload: "+err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	f.content, f.uploaded = body, true
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "OK - %d", len(body))
}

// filesCompleteUploadExternal finishes uploads and shares them: one
// message from the bot per channel, with initial_comment as its text and
// the files in files[]. The message exists at once; the share shows in
// files.info only ShareDelay later.
func (s *Server) filesCompleteUploadExternal(q *request) (obj, error) {
	var summaries []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if err := json.Unmarshal([]byte(q.get("files")), &summaries); err != nil || len(summaries) == 0 {
		return nil, apiError("invalid_arguments")
	}
	var files []*file
	for _, sum := range summaries {
		f, ok := s.files[sum.ID]
		if !ok || !f.uploaded {
			return nil, apiError("file_not_found")
		}
		files = append(files, f)
	}
	var chans []*channel
	ids := strings.Split(q.get("channels"), ",")
	if id := q.get("channel_id"); id != "" {
		ids = append([]string{id}, ids...)
	}
	for _, id := range ids {
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		c, err := s.botChannelLocked(id, true)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(chans, c) {
			chans = append(chans, c)
		}
	}
	threadTS := q.get("thread_ts")
	if threadTS != "" {
		if _, ok := parseTS(threadTS); !ok || len(chans) != 1 {
			return nil, apiError("invalid_thread_ts")
		}
	}
	blocks, ok := raw(q.get("blocks"))
	if !ok {
		return nil, apiError("invalid_blocks_format")
	}
	for i, f := range files {
		if summaries[i].Title != "" {
			f.title = summaries[i].Title
		}
		f.completed = true
	}
	visible := time.Now().Add(s.ShareDelay)
	for _, c := range chans {
		m := &msg{user: BotUserID, botID: BotID, text: q.get("initial_comment"),
			blocks: blocks, files: files, upload: true, threadTS: threadTS}
		s.appendLocked(c, m)
		for _, f := range files {
			f.shares = append(f.shares, share{channel: c, ts: m.ts, threadTS: threadTS, visibleAt: visible})
		}
	}
	out := make([]obj, 0, len(files))
	for _, f := range files {
		out = append(out, s.fileJSON(f, false))
	}
	return obj{"files": out}, nil
}

func (s *Server) filesInfo(q *request) (obj, error) {
	f, ok := s.files[q.get("file")]
	if !ok || !f.completed {
		return nil, apiError("file_not_found")
	}
	return obj{
		"file":              s.fileJSON(f, true),
		"comments":          []obj{},
		"response_metadata": obj{"next_cursor": ""},
	}, nil
}

// serveDownload serves url_private and url_private_download. Without the
// bot token Slack does not refuse: it redirects to the workspace's sign-in
// page with redir set to the file's path, which slack-go recognises.
func (s *Server) serveDownload(w http.ResponseWriter, r *http.Request) {
	// /files-pri/<team>-<file id>/[download/]<name>
	rest := strings.TrimPrefix(r.URL.Path, "/files-pri/")
	owner, _, _ := strings.Cut(rest, "/")
	_, id, _ := strings.Cut(owner, "-")
	s.mu.Lock()
	authed := r.Header.Get("Authorization") == "Bearer "+BotToken && !s.revoked
	f, ok := s.files[id]
	var content []byte
	var mimetype, name string
	if ok {
		content, mimetype, name = f.content, f.mimetype, f.name
	}
	s.mu.Unlock()
	if !authed {
		http.Redirect(w, r, "/?redir="+url.QueryEscape(r.URL.Path), http.StatusFound)
		return
	}
	if !ok {
		http.Error(w, "Not Found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", mimetype)
	if strings.Contains(rest, "/download/") {
		w.Header().Set("Content-Disposition", "attachment; filename=\""+name+"\"")
	}
	w.Write(content)
}
