package syncer

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/slack"
	"github.com/blotterapp/blotter/internal/sqlite"
)

// Slack delivers incidents' entries to their linked Slack channels, as the incident's policy
// says (every entry, the #slack-tagged ones and the milestones, or none): each entry one
// message with its time, author and text (masked, as mrkdwn, never pinging anyone), its
// evidence uploaded in the message's thread with its SHA-256; an edit updates the message, a
// delete removes it; the incident's changes update the pinned header.
type Slack struct {
	Rec    *recorder.Recorder
	Client *slack.Client
	// MaxUpload bounds the evidence files uploaded; larger ones stay local, named by digest.
	MaxUpload int64
	// MinInterval spaces the writes to one channel: Slack allows about one message a second
	// per channel (default 1 s).
	MinInterval time.Duration

	mu   sync.Mutex
	last map[string]time.Time // channel → the last write
}

// Name implements Target.
func (s *Slack) Name() string { return SlackName }

// Classify implements Target: a rate limit (after its Retry-After), a 5xx, a timeout or a
// dropped connection are tried again; a refused token stops the pass.
func (s *Slack) Classify(err error) (retry bool, after time.Duration, stop bool) {
	if slack.IsAuthFailed(err) {
		return false, 0, true
	}
	return slack.IsRetryable(err), slack.RetryAfter(err), false
}

// Deliver implements Target.
func (s *Slack) Deliver(ctx context.Context, it *sqlite.OutboxItem) error {
	ch, err := LinkedSlackChannel(ctx, s.Rec, it.IncidentID)
	if err != nil {
		return err
	}
	switch it.Subject {
	case blotter.SubjectIncident:
		return s.header(ctx, ch, it.SubjectID)
	case blotter.SubjectEntry:
		return s.entry(ctx, ch, it)
	case blotter.SubjectDocument:
		return nil // the RCA and the runbook are published when a person says so, not on every save
	case blotter.SubjectTask:
		return nil // the board's changes are task entries; the policy decides about those
	}
	return blotter.Errorf(blotter.EINVALID, "Slack sync does not know %ss", it.Subject)
}

// header makes the pinned header say what the incident is now.
func (s *Slack) header(ctx context.Context, ch *SlackChannel, incidentID string) error {
	if ch.HeaderTS == "" {
		return nil
	}
	inc, err := s.Rec.Incident(ctx, incidentID)
	if err != nil {
		return err
	}
	text, err := headerText(ctx, s.Rec, inc)
	if err != nil {
		return err
	}
	if err := s.pace(ctx, ch.ID); err != nil {
		return err
	}
	err = s.Client.Update(ctx, ch.ID, ch.HeaderTS, text)
	if slack.Code(err) == "message_not_found" || slack.Code(err) == "cant_update_message" {
		return nil // someone removed the header: nothing to keep up to date
	}
	return err
}

// slackMessageID is a message's id in remote_ids: channel/ts.
func slackMessageID(channel, ts string) string { return channel + "/" + ts }

func splitMessageID(id string) (channel, ts string) {
	channel, ts, _ = strings.Cut(id, "/")
	return channel, ts
}

// entry makes the entry's message what the entry is now: posted once (found again by its
// metadata after an answer that was lost), updated after an edit, removed after a delete.
func (s *Slack) entry(ctx context.Context, ch *SlackChannel, it *sqlite.OutboxItem) error {
	e, err := s.Rec.Entry(ctx, it.SubjectID)
	if err != nil {
		return err
	}
	msgID, err := s.Rec.RemoteID(ctx, e.ID, SlackName)
	if err != nil {
		return err
	}
	if msgID == "" {
		policy, err := s.Rec.SlackPolicyOf(ctx, e.IncidentID)
		if err != nil {
			return err
		}
		if e.Deleted || !recorder.PostsToSlack(policy, e) {
			return nil
		}
	}
	if e.Deleted {
		channel, ts := splitMessageID(msgID)
		if err := s.pace(ctx, channel); err != nil {
			return err
		}
		return s.Client.Delete(ctx, channel, ts)
	}
	text := EntryMrkdwn(e, s.maxUpload())
	if msgID != "" {
		channel, ts := splitMessageID(msgID)
		if err := s.pace(ctx, channel); err != nil {
			return err
		}
		err := s.Client.Update(ctx, channel, ts, text)
		if slack.Code(err) == "message_not_found" {
			return nil // removed in Slack meanwhile
		}
		if err != nil {
			return err
		}
		return s.uploads(ctx, channel, ts, e, it.Attempts > 0)
	}
	var ts string
	if it.Attempts > 0 {
		// The previous attempt may have posted although its answer was lost.
		if ts, err = s.findPosted(ctx, ch.ID, e); err != nil {
			return err
		}
	}
	if ts == "" {
		if err := s.pace(ctx, ch.ID); err != nil {
			return err
		}
		if ts, err = s.Client.Post(ctx, ch.ID, "", text, e.ID); err != nil {
			return err
		}
	}
	if err := s.Rec.SetRemoteID(ctx, e.ID, blotter.RemoteRef{System: SlackName, ID: slackMessageID(ch.ID, ts), Version: ts}); err != nil {
		return err
	}
	return s.uploads(ctx, ch.ID, ts, e, it.Attempts > 0)
}

// findPosted looks for the message Blotter posted for the entry (its metadata names it) since
// the entry was recorded.
func (s *Slack) findPosted(ctx context.Context, channel string, e *blotter.Entry) (string, error) {
	oldest := fmt.Sprintf("%d.000000", e.RecordedAt.Add(-time.Minute).Unix())
	cursor := ""
	for page := 0; page < 10; page++ {
		msgs, next, err := s.Client.HistoryPage(ctx, channel, oldest, cursor)
		if err != nil {
			return "", err
		}
		for _, m := range msgs {
			if entryOf(&m) == e.ID {
				return m.Timestamp, nil
			}
		}
		if next == "" {
			break
		}
		cursor = next
	}
	return "", nil
}

// entryOf returns the entry a message Blotter posted stands for, from its metadata, or "".
func entryOf(m *slack.Message) string {
	if m.Metadata.EventType != slack.MetadataType {
		return ""
	}
	id, _ := m.Metadata.EventPayload["entry_id"].(string)
	return id
}

// uploads shares each evidence file of the entry in its message's thread, once: an uploaded
// file is recorded under entry/sha256, and a retry looks in the thread for a file a lost
// answer had shared. Slack may report an upload done before the file is shared: that is
// checked, and retried.
func (s *Slack) uploads(ctx context.Context, channel, ts string, e *blotter.Entry, retry bool) error {
	var thread []slack.Message
	for _, ev := range e.Evidence {
		// An uploaded file is recorded as file/ID under entry/sha256 (remote ids are unique per
		// system, and the message is the entry's own).
		key := e.ID + "/" + ev.SHA256
		ref, err := s.Rec.RemoteID(ctx, key, SlackName)
		if err != nil {
			return err
		}
		fileID := strings.TrimPrefix(ref, "file/")
		if fileID == "" && ev.Size <= s.maxUpload() {
			if retry && thread == nil {
				if thread, _, err = s.Client.RepliesPage(ctx, channel, ts, ""); err != nil {
					return err
				}
			}
			for _, m := range thread {
				if strings.Contains(m.Text, ev.SHA256) {
					for _, f := range m.Files {
						fileID = f.ID
					}
				}
			}
			if fileID == "" {
				if fileID, err = s.upload(ctx, channel, ts, ev); err != nil {
					return err
				}
			}
			if fileID == "" {
				continue // not held here: the message names it by digest
			}
			if err := s.Rec.SetRemoteID(ctx, key, blotter.RemoteRef{System: SlackName, ID: "file/" + fileID}); err != nil {
				return err
			}
		}
		if fileID != "" {
			shared, err := s.Client.Shared(ctx, fileID, channel)
			if err != nil {
				return err
			}
			if !shared {
				return &slack.Error{Method: "files.info", Code: "not_shared_yet", Err: fmt.Errorf("%s is uploaded but not shared in the channel yet", ev.Name), RetryAfter: time.Second}
			}
		}
	}
	return nil
}

func (s *Slack) upload(ctx context.Context, channel, ts string, ev blotter.Evidence) (string, error) {
	path, err := s.Rec.EvidencePath(ev.SHA256)
	if err != nil {
		return "", nil // not held here (an imported record): the message names it by digest
	}
	f, err := os.Open(path)
	if err != nil {
		return "", blotter.Errorf(blotter.EUNAVAILABLE, "cannot read evidence %s: %v", ev.SHA256, err)
	}
	defer f.Close()
	if err := s.pace(ctx, channel); err != nil {
		return "", err
	}
	comment := fmt.Sprintf("%s · SHA-256 %s", slack.EscapeText(ev.Name), ev.SHA256)
	return s.Client.Upload(ctx, channel, ts, ev.Name, ev.Size, f, comment)
}

func (s *Slack) maxUpload() int64 {
	if s.MaxUpload > 0 {
		return s.MaxUpload
	}
	return 100 << 20
}

// pace waits until a write to the channel keeps to Slack's one message a second.
func (s *Slack) pace(ctx context.Context, channel string) error {
	interval := s.MinInterval
	if interval == 0 {
		interval = time.Second
	}
	s.mu.Lock()
	if s.last == nil {
		s.last = map[string]time.Time{}
	}
	wait := time.Until(s.last[channel].Add(interval))
	s.last[channel] = time.Now().Add(max(wait, 0))
	s.mu.Unlock()
	return sleepCtx(ctx, wait)
}

// EntryMrkdwn is what an entry says in Slack: its time, author and kind, its text masked and
// as mrkdwn, its tags, and its evidence with digests (files up to maxUpload are in the thread).
func EntryMrkdwn(e *blotter.Entry, maxUpload int64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "*%s UTC* · *%s*", e.OccurredAt.UTC().Format("2006-01-02 15:04:05"), slack.EscapeText(e.Author))
	if e.Kind != blotter.KindNote {
		fmt.Fprintf(&b, " · %s", e.Kind)
	}
	if text := strings.TrimSpace(e.Text); text != "" {
		b.WriteString("\n")
		b.WriteString(slack.ToMrkdwn(blotter.MaskSecrets(e.Text, e.Secrets)))
	}
	if len(e.Tags) > 0 {
		tags := make([]string, len(e.Tags))
		for i, t := range e.Tags {
			tags[i] = "#" + slack.EscapeText(t)
		}
		fmt.Fprintf(&b, "\n_%s_", strings.Join(tags, " "))
	}
	for _, ev := range e.Evidence {
		where := "in the thread"
		if ev.Size > maxUpload {
			where = "kept local"
		}
		fmt.Fprintf(&b, "\n:paperclip: %s (%d bytes, %s) SHA-256 `%s`", slack.EscapeText(ev.Name), ev.Size, where, ev.SHA256)
	}
	return b.String()
}
