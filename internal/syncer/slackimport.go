package syncer

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/slack"
)

// SlackReader takes Slack messages into the record: a channel's history and threads (Import),
// one message pinned by a reaction or the message shortcut, and later edits and deletes of
// those messages (Live). Each message is an entry of kind slack, at the message's own time, by
// its author's display name, with its permalink and thread; its files go to the vault. The
// message's channel/ts is its remote id, recorded in the entry's transaction, so a message
// taken twice (an import run again, an event Slack delivered twice) is one entry.
type SlackReader struct {
	Rec       *recorder.Recorder
	Client    *slack.Client
	Workspace *recorder.SlackWorkspace
	// Backoff is the first wait after a failed call that may pass (default 1 s).
	Backoff time.Duration
}

// ImportResult is what an import did.
type ImportResult struct {
	Messages int `json:"messages"` // messages read
	Added    int `json:"added"`
	Updated  int `json:"updated"` // edited in Slack since they were taken: a new revision
	Skipped  int `json:"skipped"` // Blotter's own posts, joins, empty messages, and those already taken unchanged
}

// Import takes the channel's messages since since (zero: all), and every thread's replies,
// oldest first, into the incident. progress, if set, is told after each message.
func (sr *SlackReader) Import(ctx context.Context, incidentID, channel string, since time.Time, progress func(done, total int)) (*ImportResult, error) {
	var oldest string
	if !since.IsZero() {
		oldest = fmt.Sprintf("%d.%06d", since.Unix(), since.Nanosecond()/1000)
	}
	// Slack gives history newest first, a page at a time; the record wants the oldest first.
	var top []slack.Message
	for cursor := ""; ; {
		var msgs []slack.Message
		var next string
		err := sr.retrying(ctx, func() (err error) {
			msgs, next, err = sr.Client.HistoryPage(ctx, channel, oldest, cursor)
			return err
		})
		if err != nil {
			return nil, err
		}
		top = append(top, msgs...)
		if next == "" {
			break
		}
		cursor = next
	}
	slices.SortStableFunc(top, func(a, b slack.Message) int { return compareTS(a.Timestamp, b.Timestamp) })
	res := &ImportResult{}
	total := len(top)
	for i := range top {
		m := &top[i]
		if err := sr.count(ctx, res, incidentID, channel, m); err != nil {
			return res, err
		}
		if m.ReplyCount > 0 {
			replies, err := sr.replies(ctx, channel, m.Timestamp)
			if err != nil {
				return res, err
			}
			total += len(replies)
			for j := range replies {
				if err := sr.count(ctx, res, incidentID, channel, &replies[j]); err != nil {
					return res, err
				}
			}
		}
		if progress != nil {
			progress(res.Messages, total)
		}
	}
	return res, nil
}

// retrying runs a call until it succeeds, fails for good, or has failed maxImportTries
// times: a rate limit waits its Retry-After, a 5xx or a timeout a growing wait.
func (sr *SlackReader) retrying(ctx context.Context, call func() error) error {
	wait := sr.Backoff
	if wait == 0 {
		wait = time.Second
	}
	for try := 1; ; try++ {
		err := call()
		if err == nil || !slack.IsRetryable(err) || try == maxImportTries {
			return err
		}
		if err := sleepCtx(ctx, max(slack.RetryAfter(err), wait)); err != nil {
			return err
		}
		wait = min(2*wait, time.Minute)
	}
}

// maxImportTries bounds the attempts of one call in an import; the import can be run again
// and takes up where it stopped.
const maxImportTries = 8

// replies returns a thread's replies (its first message left out), oldest first.
func (sr *SlackReader) replies(ctx context.Context, channel, threadTS string) ([]slack.Message, error) {
	var out []slack.Message
	for cursor := ""; ; {
		var msgs []slack.Message
		var next string
		err := sr.retrying(ctx, func() (err error) {
			msgs, next, err = sr.Client.RepliesPage(ctx, channel, threadTS, cursor)
			return err
		})
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			if m.Timestamp != threadTS {
				out = append(out, m)
			}
		}
		if next == "" {
			return out, nil
		}
		cursor = next
	}
}

func (sr *SlackReader) count(ctx context.Context, res *ImportResult, incidentID, channel string, m *slack.Message) error {
	res.Messages++
	var outcome Outcome
	err := sr.retrying(ctx, func() (err error) {
		outcome, _, err = sr.Take(ctx, incidentID, channel, m)
		return err
	})
	switch outcome {
	case TookNew:
		res.Added++
	case TookEdit:
		res.Updated++
	default:
		res.Skipped++
	}
	return err
}

// Outcome is what Take did with a message.
type Outcome int

// Outcomes.
const (
	TookNothing Outcome = iota // Blotter's own post, a join, an empty message, or taken already as it is
	TookNew
	TookEdit
)

// skippedSubtypes are the messages that are not what anyone said.
var skippedSubtypes = map[string]bool{
	"channel_join": true, "channel_leave": true, "channel_topic": true, "channel_purpose": true, "channel_name": true,
	"channel_archive": true, "channel_unarchive": true, "group_join": true, "group_leave": true, "pinned_item": true,
	"unpinned_item": true, "bot_add": true, "bot_remove": true, "message_deleted": true, "message_changed": true,
}

// Take puts one message on the incident's timeline, or, when it is there already and was
// edited in Slack since, records the edit as a revision.
func (sr *SlackReader) Take(ctx context.Context, incidentID, channel string, m *slack.Message) (Outcome, *blotter.Entry, error) {
	if skippedSubtypes[m.SubType] || m.Timestamp == "" {
		return TookNothing, nil, nil
	}
	if id := entryOf(m); id != "" {
		// Blotter's own post: its entry is on a record already (here, or a teammate's that
		// reaches this one through GitLab). A post whose answer was lost gets its id here.
		if blotter.ValidID(id) { // an entry's post, not the header or a publication notice
			if ref, err := sr.Rec.RemoteID(ctx, id, SlackName); err == nil && ref == "" {
				if _, err := sr.Rec.Entry(ctx, id); err == nil {
					_ = sr.Rec.SetRemoteID(ctx, id, blotter.RemoteRef{System: SlackName, ID: slackMessageID(channel, m.Timestamp), Version: m.Timestamp})
				}
			}
		}
		return TookNothing, nil, nil
	}
	remoteID := slackMessageID(channel, m.Timestamp)
	version := m.Timestamp
	if m.Edited != nil && m.Edited.Timestamp != "" {
		version = m.Edited.Timestamp
	}
	author := sr.author(ctx, m)
	text := slack.FromMrkdwn(m.Text, slack.Names{
		User:    func(id string) string { return sr.Client.UserName(ctx, id) },
		Channel: func(id string) string { return sr.Client.ChannelName(ctx, id) },
	})
	text = fitText(text)
	ch := blotter.Change{By: author, Origin: blotter.OriginSlack, Remote: &blotter.RemoteRef{System: SlackName, ID: remoteID, Version: version}}

	existing, err := sr.Rec.SubjectOfRemote(ctx, SlackName, remoteID)
	if err != nil {
		return TookNothing, nil, err
	}
	if existing != "" {
		seen, err := sr.Rec.RemoteVersion(ctx, existing, SlackName)
		if err != nil || compareTS(version, seen) <= 0 {
			return TookNothing, nil, err
		}
		ch.Reason = "edited in Slack"
		e, err := sr.Rec.EditRemoteEntry(ctx, blotter.EntryUpdate{Text: &text}, ch)
		if blotter.ErrorCode(err) == blotter.EINVALID && e == nil {
			// Nothing in the text changed (an edit of formatting Blotter does not keep):
			// remember the version so that it is not looked at again.
			return TookNothing, nil, sr.Rec.SetRemoteID(ctx, existing, *ch.Remote)
		}
		if err != nil {
			return TookNothing, nil, err
		}
		return TookEdit, e, nil
	}

	var files []recorder.RemoteFile
	for _, f := range m.Files {
		if f.URLPrivateDownload == "" || f.Mode == "tombstone" || f.Mode == "hidden_by_limit" || f.IsExternal {
			text = strings.TrimSpace(text + fmt.Sprintf("\n(file %q not downloadable from Slack)", f.Name))
			continue
		}
		url := f.URLPrivateDownload
		files = append(files, recorder.RemoteFile{Name: f.Name, Open: func(ctx context.Context) (io.ReadCloser, error) {
			pr, pw := io.Pipe()
			go func() { pw.CloseWithError(sr.Client.Download(ctx, url, pw, recorder.MaxRemoteFileBytes)) }()
			return pr, nil
		}})
	}
	if strings.TrimSpace(text) == "" && len(files) == 0 {
		return TookNothing, nil, nil
	}
	at, err := TSTime(m.Timestamp)
	if err != nil {
		return TookNothing, nil, err
	}
	src := &blotter.Source{URL: slack.Permalink(sr.Workspace.URL, channel, m.Timestamp, m.ThreadTimestamp)}
	if m.ThreadTimestamp != "" && m.ThreadTimestamp != m.Timestamp {
		src.Thread = slack.Permalink(sr.Workspace.URL, channel, m.ThreadTimestamp, "")
	}
	if src.Validate() != nil {
		src = nil // a workspace URL that is not http(s): the entry stands without its link
	}
	tags, err := blotter.NoteTags(nil, text)
	if err != nil {
		tags = nil
	}
	e := &blotter.Entry{IncidentID: incidentID, Kind: blotter.KindSlack, OccurredAt: at, Author: author, Text: text, Tags: tags, Source: src}
	if _, err := sr.Rec.AddRemoteEntryWithFiles(ctx, e, ch, files); err != nil {
		if blotter.ErrorCode(err) == blotter.ECONFLICT {
			return TookNothing, nil, nil // taken meanwhile (the same event delivered twice)
		}
		return TookNothing, nil, err
	}
	return TookNew, e, nil
}

// author is the message's author as people know them in Slack.
func (sr *SlackReader) author(ctx context.Context, m *slack.Message) string {
	name := ""
	switch {
	case m.User != "":
		name = sr.Client.UserName(ctx, m.User)
	case m.Username != "":
		name = m.Username
	case m.BotProfile != nil && m.BotProfile.Name != "":
		name = m.BotProfile.Name
	case m.BotID != "":
		name = m.BotID
	}
	name = strings.Join(strings.Fields(strings.ToValidUTF8(name, "\uFFFD")), " ")
	if name == "" {
		name = "someone in Slack"
	}
	if len(name) > blotter.MaxAuthorBytes {
		name = strings.ToValidUTF8(name[:blotter.MaxAuthorBytes], "")
	}
	return name
}

// fitText makes a Slack message's text an entry's text: valid UTF-8 without NUL bytes, within
// the entry's limit (Slack's own limit of 40,000 characters is below it).
func fitText(s string) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
	if len(s) > blotter.MaxTextBytes {
		s = strings.ToValidUTF8(s[:blotter.MaxTextBytes-64], "") + "\n(cut: the message was longer)"
	}
	return s
}

// TSTime is the time a Slack ts ("1700000000.000100", seconds and microseconds) stands for.
func TSTime(ts string) (time.Time, error) {
	sec, frac, _ := strings.Cut(ts, ".")
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		return time.Time{}, blotter.Errorf(blotter.EINVALID, "%q is not a Slack timestamp", ts)
	}
	frac = (frac + "000000000")[:9]
	ns, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return time.Time{}, blotter.Errorf(blotter.EINVALID, "%q is not a Slack timestamp", ts)
	}
	return time.Unix(s, ns).UTC(), nil
}

// compareTS orders Slack timestamps (as times, not as strings: "9.1" < "10.0").
func compareTS(a, b string) int {
	ta, errA := TSTime(a)
	tb, errB := TSTime(b)
	switch {
	case errA != nil || errB != nil:
		return strings.Compare(a, b)
	case ta.Before(tb):
		return -1
	case ta.After(tb):
		return 1
	}
	return 0
}
