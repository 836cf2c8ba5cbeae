// Package slack is Blotter's Slack client: the few Web API calls sync needs, over
// github.com/slack-go/slack, with Slack's errors sorted into what the sync engine does about
// them, and the text conversions both ways (text.go).
//
// The client does no retrying of its own (slack-go's retries are off by default and stay
// off): the sync engine retries, knowing which calls are safe to repeat.
package slack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	slackgo "github.com/slack-go/slack"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Client is a bot's connection to one Slack workspace.
type Client struct {
	api      *slackgo.Client
	botToken string
	appToken string
	apiURL   string
	http     *http.Client

	mu    sync.Mutex
	users map[string]string // user id → display name
	chans map[string]string // channel id → name
}

// Options for New.
type Options struct {
	// APIURL is the Web API's base URL ("" for Slack's own), for tests and proxies.
	APIURL string
	// Timeout bounds every call (default 30 s): a server that never answers must not hold the
	// sync engine.
	Timeout time.Duration
}

// New returns a client for the bot token (xoxb-) and the app-level token (xapp-, for Socket
// Mode; may be "" for the Web API alone).
func New(botToken, appToken string, opt Options) (*Client, error) {
	botToken, appToken = strings.TrimSpace(botToken), strings.TrimSpace(appToken)
	if !strings.HasPrefix(botToken, "xoxb-") {
		return nil, blotter.Errorf(blotter.EINVALID, "the bot token must start with xoxb- (Slack app → OAuth & Permissions → Bot User OAuth Token)")
	}
	if appToken != "" && !strings.HasPrefix(appToken, "xapp-") {
		return nil, blotter.Errorf(blotter.EINVALID, "the app-level token must start with xapp- (Slack app → Basic Information → App-Level Tokens, scope connections:write)")
	}
	if opt.Timeout == 0 {
		opt.Timeout = 30 * time.Second
	}
	hc := &http.Client{Timeout: opt.Timeout}
	options := []slackgo.Option{slackgo.OptionHTTPClient(hc)}
	if appToken != "" {
		options = append(options, slackgo.OptionAppLevelToken(appToken))
	}
	if opt.APIURL != "" {
		u, err := url.Parse(opt.APIURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, blotter.Errorf(blotter.EINVALID, "Slack API URL %q is not an http(s) URL", opt.APIURL)
		}
		if !strings.HasSuffix(opt.APIURL, "/") {
			opt.APIURL += "/"
		}
		options = append(options, slackgo.OptionAPIURL(opt.APIURL))
	}
	return &Client{
		api: slackgo.New(botToken, options...), botToken: botToken, appToken: appToken, apiURL: opt.APIURL, http: hc,
		users: map[string]string{}, chans: map[string]string{},
	}, nil
}

// API is the underlying slack-go client (Socket Mode is built on it).
func (c *Client) API() *slackgo.Client { return c.api }

// HasAppToken says whether Socket Mode can be used.
func (c *Client) HasAppToken() bool { return c.appToken != "" }

// Workspace is who the bot is, and where.
type Workspace struct {
	Team    string `json:"team"`
	TeamID  string `json:"team_id"`
	URL     string `json:"url"` // https://team.slack.com/
	BotUser string `json:"bot_user"`
	BotID   string `json:"bot_user_id"`
}

// Check asks Slack who the token is (auth.test).
func (c *Client) Check(ctx context.Context) (*Workspace, error) {
	r, err := c.api.AuthTestContext(ctx)
	if err != nil {
		return nil, wrap("auth.test", err)
	}
	return &Workspace{Team: r.Team, TeamID: r.TeamID, URL: r.URL, BotUser: r.User, BotID: r.UserID}, nil
}

// Channel is a conversation the bot posts in.
type Channel struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// CreateChannel creates a public channel. Returns ErrNameTaken when the name is taken.
func (c *Client) CreateChannel(ctx context.Context, name string) (*Channel, error) {
	ch, err := c.api.CreateConversationContext(ctx, slackgo.CreateConversationParams{ChannelName: name})
	if err != nil {
		return nil, wrap("conversations.create", err)
	}
	return &Channel{ID: ch.ID, Name: ch.Name}, nil
}

// ChannelInfo returns a channel by id.
func (c *Client) ChannelInfo(ctx context.Context, id string) (*Channel, error) {
	ch, err := c.api.GetConversationInfoContext(ctx, &slackgo.GetConversationInfoInput{ChannelID: id})
	if err != nil {
		return nil, wrap("conversations.info", err)
	}
	return &Channel{ID: ch.ID, Name: ch.Name}, nil
}

// FindChannel finds a public channel by name (conversations.list, page by page).
func (c *Client) FindChannel(ctx context.Context, name string) (*Channel, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	cursor := ""
	for {
		chans, next, err := c.api.GetConversationsContext(ctx, &slackgo.GetConversationsParameters{
			Cursor: cursor, Limit: 1000, ExcludeArchived: true, Types: []string{"public_channel"},
		})
		if err != nil {
			return nil, wrap("conversations.list", err)
		}
		for _, ch := range chans {
			if ch.Name == name {
				return &Channel{ID: ch.ID, Name: ch.Name}, nil
			}
		}
		if next == "" {
			return nil, blotter.Errorf(blotter.ENOTFOUND, "no public channel #%s in the workspace", name)
		}
		cursor = next
	}
}

// Join makes the bot a member of a public channel.
func (c *Client) Join(ctx context.Context, id string) (*Channel, error) {
	ch, _, _, err := c.api.JoinConversationContext(ctx, id)
	if err != nil {
		return nil, wrap("conversations.join", err)
	}
	return &Channel{ID: ch.ID, Name: ch.Name}, nil
}

// Pin pins a message.
func (c *Client) Pin(ctx context.Context, channel, ts string) error {
	err := c.api.AddPinContext(ctx, channel, slackgo.NewRefToMessage(channel, ts))
	if err != nil && Code(err) != "already_pinned" {
		return wrap("pins.add", err)
	}
	return nil
}

// MetadataType is the event type of the metadata every message Blotter posts carries: it
// names the entry, so a post whose answer was lost is found again, not made twice, and an
// import knows Blotter's own messages.
const MetadataType = "blotter_entry"

// Post posts mrkdwn text (in a thread if threadTS is set) carrying the entry's id as message
// metadata. Link unfurling is off: a link in a note must not fetch anything.
func (c *Client) Post(ctx context.Context, channel, threadTS, text, entryID string) (ts string, err error) {
	opts := []slackgo.MsgOption{
		slackgo.MsgOptionText(text, false), slackgo.MsgOptionDisableLinkUnfurl(), slackgo.MsgOptionDisableMediaUnfurl(),
	}
	if entryID != "" {
		opts = append(opts, slackgo.MsgOptionMetadata(slackgo.SlackMetadata{EventType: MetadataType, EventPayload: map[string]any{"entry_id": entryID}}))
	}
	if threadTS != "" {
		opts = append(opts, slackgo.MsgOptionTS(threadTS))
	}
	_, ts, err = c.api.PostMessageContext(ctx, channel, opts...)
	return ts, wrap("chat.postMessage", err)
}

// Update replaces a message's text.
func (c *Client) Update(ctx context.Context, channel, ts, text string) error {
	_, _, _, err := c.api.UpdateMessageContext(ctx, channel, ts, slackgo.MsgOptionText(text, false))
	return wrap("chat.update", err)
}

// Delete removes a message; one that is gone already is not an error.
func (c *Client) Delete(ctx context.Context, channel, ts string) error {
	_, _, err := c.api.DeleteMessageContext(ctx, channel, ts)
	if Code(err) == "message_not_found" {
		return nil
	}
	return wrap("chat.delete", err)
}

// Upload shares a file in the channel (in a thread if threadTS is set) with a comment, through
// the upload API v2, and returns the file's id. Slack may answer before the file is shared:
// Shared tells.
func (c *Client) Upload(ctx context.Context, channel, threadTS, name string, size int64, r io.Reader, comment string) (string, error) {
	f, err := c.api.UploadFileContext(ctx, slackgo.UploadFileParameters{
		Reader: r, FileSize: int(size), Filename: name, Title: name, Channel: channel, ThreadTimestamp: threadTS, InitialComment: comment,
	})
	if err != nil {
		return "", wrap("files.upload", err)
	}
	return f.ID, nil
}

// Shared says whether the file is shared in the channel yet.
func (c *Client) Shared(ctx context.Context, fileID, channel string) (bool, error) {
	f, _, _, err := c.api.GetFileInfoContext(ctx, fileID, 0, 0)
	if err != nil {
		return false, wrap("files.info", err)
	}
	for _, shares := range []map[string][]slackgo.ShareFileInfo{f.Shares.Public, f.Shares.Private} {
		if len(shares[channel]) > 0 {
			return true, nil
		}
	}
	return false, nil
}

// Download writes a file's content (its url_private_download) to w, up to max bytes.
func (c *Client) Download(ctx context.Context, fileURL string, w io.Writer, max int64) error {
	lw := &limitedWriter{w: w, left: max}
	err := c.api.GetFileContext(ctx, fileURL, lw)
	if lw.over {
		return blotter.Errorf(blotter.EINVALID, "the file is larger than %d bytes", max)
	}
	return wrap("file download", err)
}

type limitedWriter struct {
	w    io.Writer
	left int64
	over bool
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if int64(len(p)) > l.left {
		l.over = true
		return 0, errors.New("file too large")
	}
	l.left -= int64(len(p))
	return l.w.Write(p)
}

// Message is a Slack message as Blotter reads it.
type Message = slackgo.Message

// HistoryPage is one page of a channel's history, newest first as Slack gives it.
func (c *Client) HistoryPage(ctx context.Context, channel, oldest, cursor string) (msgs []Message, next string, err error) {
	r, err := c.api.GetConversationHistoryContext(ctx, &slackgo.GetConversationHistoryParameters{
		ChannelID: channel, Oldest: oldest, Cursor: cursor, Limit: 200, IncludeAllMetadata: true,
	})
	if err != nil {
		return nil, "", wrap("conversations.history", err)
	}
	if r.HasMore {
		next = r.ResponseMetaData.NextCursor
	}
	return r.Messages, next, nil
}

// RepliesPage is one page of a thread: its first message, then the replies, oldest first.
func (c *Client) RepliesPage(ctx context.Context, channel, threadTS, cursor string) (msgs []Message, next string, err error) {
	msgs, more, next, err := c.api.GetConversationRepliesContext(ctx, &slackgo.GetConversationRepliesParameters{
		ChannelID: channel, Timestamp: threadTS, Cursor: cursor, Limit: 200, IncludeAllMetadata: true,
	})
	if err != nil {
		return nil, "", wrap("conversations.replies", err)
	}
	if !more {
		next = ""
	}
	return msgs, next, nil
}

// Message returns one message of a channel, a thread's reply included.
func (c *Client) Message(ctx context.Context, channel, ts string) (*Message, error) {
	r, err := c.api.GetConversationHistoryContext(ctx, &slackgo.GetConversationHistoryParameters{
		ChannelID: channel, Latest: ts, Oldest: ts, Inclusive: true, Limit: 1, IncludeAllMetadata: true,
	})
	if err != nil {
		return nil, wrap("conversations.history", err)
	}
	for i := range r.Messages {
		if r.Messages[i].Timestamp == ts {
			return &r.Messages[i], nil
		}
	}
	// A reply is not in the channel's history: conversations.replies finds it by its own ts.
	msgs, _, err := c.RepliesPage(ctx, channel, ts, "")
	if err != nil {
		return nil, err
	}
	for i := range msgs {
		if msgs[i].Timestamp == ts {
			return &msgs[i], nil
		}
	}
	return nil, blotter.Errorf(blotter.ENOTFOUND, "no message %s in channel %s", ts, channel)
}

// UserName returns a user's display name (else real name, else user name, else the id),
// asking Slack once per user.
func (c *Client) UserName(ctx context.Context, id string) string {
	return c.remembered(ctx, c.users, id, func() (string, error) {
		u, err := c.api.GetUserInfoContext(ctx, id)
		if err != nil {
			return "", err
		}
		for _, n := range []string{u.Profile.DisplayName, u.Profile.RealName, u.RealName, u.Name} {
			if strings.TrimSpace(n) != "" {
				return n, nil
			}
		}
		return "", nil
	})
}

// ChannelName returns a channel's name (else its id), asking Slack once per channel.
func (c *Client) ChannelName(ctx context.Context, id string) string {
	return c.remembered(ctx, c.chans, id, func() (string, error) {
		ch, err := c.ChannelInfo(ctx, id)
		if err != nil {
			return "", err
		}
		return ch.Name, nil
	})
}

// remembered returns the name of id from cache, else asks for it once and remembers the
// answer ("" or a refusal means the id itself). A failure that may pass (a rate limit, the
// network, the caller giving up) is not remembered: the name is asked for again next time.
func (c *Client) remembered(ctx context.Context, cache map[string]string, id string, ask func() (string, error)) string {
	c.mu.Lock()
	name, ok := cache[id]
	c.mu.Unlock()
	if ok {
		return name
	}
	name, err := ask()
	if err != nil && (IsRetryable(err) || ctx.Err() != nil) {
		return id
	}
	if strings.TrimSpace(name) == "" {
		name = id
	}
	c.mu.Lock()
	cache[id] = name
	c.mu.Unlock()
	return name
}

// Permalink is a message's link, made as Slack makes it (workspace URL, /archives/CHANNEL/p
// and the ts without its dot; a reply adds its thread): one call per message saved on an
// import of thousands.
func Permalink(workspaceURL, channel, ts, threadTS string) string {
	u := strings.TrimRight(workspaceURL, "/") + "/archives/" + channel + "/p" + strings.Replace(ts, ".", "", 1)
	if threadTS != "" && threadTS != ts {
		u += "?thread_ts=" + url.QueryEscape(threadTS) + "&cid=" + url.QueryEscape(channel)
	}
	return u
}

// EscapeURL makes a URL safe inside Slack's <url|label> link markup: the three characters
// Slack escapes, and "|", which would end the URL early.
func EscapeURL(u string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "|", "%7C").Replace(u)
}

// Error is a failed call: the method, Slack's error code or the HTTP status, and what it means.
type Error struct {
	Method     string
	Code       string        // Slack's "error" (invalid_auth, channel_not_found, …)
	Status     int           // the HTTP status, when that was the failure
	RetryAfter time.Duration // for 429
	Err        error
}

func (e *Error) Error() string {
	switch {
	case e.RetryAfter > 0:
		return fmt.Sprintf("Slack %s: rate limited, retry after %s", e.Method, e.RetryAfter)
	case e.Code != "":
		if hint := codeHints[e.Code]; hint != "" {
			return fmt.Sprintf("Slack %s: %s (%s)", e.Method, e.Code, hint)
		}
		return fmt.Sprintf("Slack %s: %s", e.Method, e.Code)
	case e.Status != 0:
		return fmt.Sprintf("Slack %s: HTTP %d", e.Method, e.Status)
	}
	return fmt.Sprintf("Slack %s: %v", e.Method, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// codeHints say what a person does about Slack's refusals.
var codeHints = map[string]string{
	"invalid_auth":      "the token is not valid: connect Slack again",
	"token_revoked":     "the token was revoked: connect Slack again with a new one",
	"account_inactive":  "the bot's account is deactivated: reinstall the Slack app",
	"not_authed":        "no token was sent",
	"missing_scope":     "the Slack app lacks a scope: install it from docs/slack-app-manifest.yaml",
	"not_in_channel":    "the bot is not in the channel: invite it, or link the channel again",
	"channel_not_found": "no such channel, or the bot cannot see it",
	"is_archived":       "the channel is archived",
	"name_taken":        "a channel has that name already",
	"msg_too_long":      "the message is too long for Slack",
	"ratelimited":       "Slack's rate limit",
}

// authCodes are the refusals that no retry can cure: Slack sync stops and says so.
var authCodes = map[string]bool{"invalid_auth": true, "token_revoked": true, "account_inactive": true, "not_authed": true, "token_expired": true}

func wrap(method string, err error) error {
	if err == nil {
		return nil
	}
	var se *Error
	if errors.As(err, &se) {
		return err
	}
	e := &Error{Method: method, Err: err}
	var rl *slackgo.RateLimitedError
	var sc slackgo.StatusCodeError
	var sr slackgo.SlackErrorResponse
	switch {
	case errors.As(err, &rl):
		e.RetryAfter = max(rl.RetryAfter, time.Second)
	case errors.As(err, &sc):
		e.Status = sc.Code
	case errors.As(err, &sr):
		e.Code = sr.Err
	default:
		// slack-go returns Slack's error code as a plain error for most methods.
		if msg := err.Error(); isCode(msg) {
			e.Code = msg
		}
	}
	return e
}

// isCode says whether s looks like one of Slack's error codes (lower case and underscores).
func isCode(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	return strings.Trim(s, "abcdefghijklmnopqrstuvwxyz_") == ""
}

// Code returns Slack's error code of err, or "".
func Code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err != nil && isCode(err.Error()) {
		return err.Error()
	}
	return ""
}

// IsAuthFailed says whether the token was refused: sync stops until a person connects again.
func IsAuthFailed(err error) bool { return authCodes[Code(err)] }

// RetryAfter is how long Slack asked to wait (429), or 0.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// IsRetryable says whether trying again later may succeed: a rate limit, a 5xx, a timeout, a
// connection that failed or dropped, Slack's own "internal_error"/"fatal_error".
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	var e *Error
	if errors.As(err, &e) {
		switch {
		case e.RetryAfter > 0, e.Status >= 500, e.Status == http.StatusTooManyRequests, e.Status == http.StatusRequestTimeout:
			return true
		case e.Code == "internal_error" || e.Code == "fatal_error" || e.Code == "service_unavailable" || e.Code == "ratelimited" || e.Code == "request_timeout":
			return true
		case e.Code != "" || e.Status != 0:
			return false
		}
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var ue *url.Error
	return errors.As(err, &ue)
}
