package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode"

	"github.com/zalando/go-keyring"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/slack"
)

// SlackName is the Slack target's name in the outbox and in remote ids.
const SlackName = "slack"

// The environment variables that hold Slack's tokens (CI, headless machines: used when set,
// nothing stored) and the Web API's base URL (tests, Enterprise Grid proxies).
const (
	SlackBotTokenEnv = "BLOTTER_SLACK_BOT_TOKEN"
	SlackAppTokenEnv = "BLOTTER_SLACK_APP_TOKEN"
	SlackAPIURLEnv   = "BLOTTER_SLACK_API_URL"
)

// fieldSlackNotConnected marks the error of a data dir with no Slack connection: normal.
const fieldSlackNotConnected = "slack_connection"

func slackKeyringUser(kind, teamID string) string { return "slack " + kind + " " + teamID }

// SlackTokens are the bot token (Web API) and the app-level token (Socket Mode).
type SlackTokens struct{ Bot, App string }

// ConnectSlack checks the tokens with auth.test and stores the workspace; tokens given here
// (not from the environment) are kept in the OS keyring, never in a file.
func ConnectSlack(ctx context.Context, rec *recorder.Recorder, tokens SlackTokens) (*recorder.SlackWorkspace, error) {
	fromEnv := false
	tokens.Bot, tokens.App = strings.TrimSpace(tokens.Bot), strings.TrimSpace(tokens.App)
	if tokens.Bot == "" {
		tokens.Bot, tokens.App = strings.TrimSpace(os.Getenv(SlackBotTokenEnv)), strings.TrimSpace(os.Getenv(SlackAppTokenEnv))
		if tokens.Bot == "" {
			return nil, blotter.Errorf(blotter.EUNAVAILABLE, "no Slack tokens: give the bot token (xoxb-) and the app-level token (xapp-) on standard input, or set %s and %s", SlackBotTokenEnv, SlackAppTokenEnv)
		}
		fromEnv = true
	}
	if tokens.App == "" {
		return nil, blotter.Errorf(blotter.EINVALID, "the app-level token (xapp-) is missing: Blotter needs it for Socket Mode (reactions and the message shortcut)")
	}
	apiURL := os.Getenv(SlackAPIURLEnv)
	client, err := slack.New(tokens.Bot, tokens.App, slack.Options{APIURL: apiURL})
	if err != nil {
		return nil, err
	}
	ws, err := client.Check(ctx)
	if err != nil {
		return nil, err
	}
	if !fromEnv {
		for kind, tok := range map[string]string{"bot": tokens.Bot, "app": tokens.App} {
			if err := keyringSet(slackKeyringUser(kind, ws.TeamID), tok); err != nil {
				return nil, blotter.Errorf(blotter.EUNAVAILABLE, "the tokens are good, but the OS keyring cannot keep them (%v): set %s and %s instead; Blotter never writes them to a file", err, SlackBotTokenEnv, SlackAppTokenEnv)
			}
		}
	}
	w := &recorder.SlackWorkspace{Team: ws.Team, TeamID: ws.TeamID, URL: ws.URL, BotUser: ws.BotUser, BotID: ws.BotID, APIURL: apiURL}
	return w, rec.SetSlackConnection(ctx, w)
}

// DisconnectSlack forgets the workspace and the tokens kept in the keyring (links stay).
func DisconnectSlack(ctx context.Context, rec *recorder.Recorder) error {
	w, err := rec.SlackConnection(ctx)
	if err != nil {
		return err
	}
	if w != nil {
		for _, kind := range []string{"bot", "app"} {
			if err := keyringDelete(slackKeyringUser(kind, w.TeamID)); err != nil && !errors.Is(err, keyring.ErrNotFound) && os.Getenv(SlackBotTokenEnv) == "" {
				return blotter.Errorf(blotter.EUNAVAILABLE, "the Slack tokens could not be removed from the OS keyring: %v", err)
			}
		}
	}
	return rec.SetSlackConnection(ctx, nil)
}

// SlackTokenSource says where the tokens come from: "environment", "keyring", or why none.
func SlackTokenSource(w *recorder.SlackWorkspace) (tokens SlackTokens, source string, err error) {
	if bot := strings.TrimSpace(os.Getenv(SlackBotTokenEnv)); bot != "" {
		return SlackTokens{Bot: bot, App: strings.TrimSpace(os.Getenv(SlackAppTokenEnv))}, "environment", nil
	}
	bot, err := keyringGet(slackKeyringUser("bot", w.TeamID))
	if err == nil && bot != "" {
		app, _ := keyringGet(slackKeyringUser("app", w.TeamID))
		return SlackTokens{Bot: bot, App: app}, "keyring", nil
	}
	if err == nil || errors.Is(err, keyring.ErrNotFound) {
		return SlackTokens{}, "", blotter.Errorf(blotter.EUNAVAILABLE, "no Slack tokens for %s: connect Slack again, or set %s and %s", w.Team, SlackBotTokenEnv, SlackAppTokenEnv)
	}
	return SlackTokens{}, "", blotter.Errorf(blotter.EUNAVAILABLE, "the OS keyring cannot be reached (%v): set %s and %s instead", err, SlackBotTokenEnv, SlackAppTokenEnv)
}

// SlackClient returns a client for the stored connection. Returns EUNAVAILABLE when Slack is
// not connected or no token is at hand.
func SlackClient(ctx context.Context, rec *recorder.Recorder) (*slack.Client, *recorder.SlackWorkspace, error) {
	w, err := rec.SlackConnection(ctx)
	if err != nil {
		return nil, nil, err
	}
	if w == nil {
		return nil, nil, blotter.FieldErrorf(blotter.EUNAVAILABLE, fieldSlackNotConnected, "Slack is not connected: connect it first (the bot and app-level tokens)")
	}
	tokens, _, err := SlackTokenSource(w)
	if err != nil {
		return nil, nil, err
	}
	apiURL := w.APIURL
	if v := os.Getenv(SlackAPIURLEnv); v != "" {
		apiURL = v
	}
	client, err := slack.New(tokens.Bot, tokens.App, slack.Options{APIURL: apiURL})
	return client, w, err
}

// SlackChannel is where an incident is in Slack: the link's remote JSON.
type SlackChannel struct {
	ID       string `json:"channel_id"`
	Name     string `json:"channel_name"`
	TeamID   string `json:"team_id"`
	HeaderTS string `json:"header_ts,omitempty"` // the pinned message that says what the incident is
}

// LinkedSlackChannel returns the incident's Slack channel. Returns ENOTFOUND when it is not
// linked, EINVALID when the link is damaged.
func LinkedSlackChannel(ctx context.Context, rec *recorder.Recorder, incidentID string) (*SlackChannel, error) {
	link, err := rec.SyncLink(ctx, incidentID, SlackName)
	if err != nil {
		return nil, err
	}
	var ch SlackChannel
	if err := json.Unmarshal([]byte(link.Remote), &ch); err != nil || ch.ID == "" {
		return nil, blotter.Errorf(blotter.EINVALID, "the incident's Slack link is damaged: %q", link.Remote)
	}
	return &ch, nil
}

// ChannelName is the incident channel's name: inc-YYYYMMDD-short-title, as Slack allows
// names (lower case letters, digits, - and _, at most 80 characters).
func ChannelName(inc *blotter.Incident) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(inc.Title) {
		ok := (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '_'
		if !ok && unicode.IsLetter(r) {
			r, ok = foldLetter(r)
		}
		if !ok {
			dash = b.Len() > 0
			continue
		}
		if dash {
			b.WriteByte('-')
			dash = false
		}
		b.WriteRune(r)
	}
	title := b.String()
	const maxTitle = 40 // a short title: the date says when, the channel's header says the rest
	if len(title) > maxTitle {
		title = strings.TrimRight(title[:maxTitle], "-_")
		if i := strings.LastIndexByte(title, '-'); i > maxTitle/2 {
			title = title[:i]
		}
	}
	name := "inc-" + inc.CreatedAt.UTC().Format("20060102")
	if title != "" {
		name += "-" + title
	}
	return name
}

// foldLetter turns a Latin letter with a diacritic into its base letter (é → e), which Slack
// names cannot hold; other scripts are dropped.
func foldLetter(r rune) (rune, bool) {
	const from, to = "àáâãäåāăąçćčďèéêëēėęěìíîïīįıñńňòóôõöøōőŕřśšşťùúûüūůűųýÿźżž", "aaaaaaaaacccdeeeeeeeeiiiiiiinnnoooooooorrssstuuuuuuuuyyzzz"
	fr := []rune(from)
	for i, c := range fr {
		if c == r {
			return rune(to[i]), true
		}
	}
	return 0, false
}

// LinkNewSlackChannel creates the incident's channel (a suffix when the name is taken), links
// it (queueing the record so far, which the policy filters), and posts and pins a header
// message with the incident's title, severity, status and GitLab link.
func LinkNewSlackChannel(ctx context.Context, rec *recorder.Recorder, client *slack.Client, inc *blotter.Incident) (*SlackChannel, error) {
	if _, err := rec.SyncLink(ctx, inc.ID, SlackName); err == nil {
		return nil, blotter.Errorf(blotter.ECONFLICT, "the incident is linked to a Slack channel already")
	}
	base := ChannelName(inc)
	var created *slack.Channel
	for n := 1; created == nil; n++ {
		name := base
		if n > 1 {
			suffix := fmt.Sprintf("-%d", n)
			name = base[:min(len(base), 80-len(suffix))] + suffix
		}
		ch, err := client.CreateChannel(ctx, name)
		switch {
		case err == nil:
			created = ch
		case slack.Code(err) == "name_taken" && n < 50:
		default:
			return nil, err
		}
	}
	return linkSlack(ctx, rec, client, inc, created)
}

// LinkSlackChannel links an existing channel (its id, or #name) and joins it.
func LinkSlackChannel(ctx context.Context, rec *recorder.Recorder, client *slack.Client, inc *blotter.Incident, channel string) (*SlackChannel, error) {
	if _, err := rec.SyncLink(ctx, inc.ID, SlackName); err == nil {
		return nil, blotter.Errorf(blotter.ECONFLICT, "the incident is linked to a Slack channel already")
	}
	channel = strings.TrimSpace(channel)
	if strings.HasPrefix(channel, "#") {
		found, err := client.FindChannel(ctx, strings.TrimPrefix(channel, "#"))
		if err != nil {
			return nil, err
		}
		channel = found.ID
	}
	if channel == "" || strings.Trim(channel, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
		return nil, blotter.Errorf(blotter.EINVALID, "%q is not a Slack channel id (C0123ABCD) or #name", channel)
	}
	joined, err := client.Join(ctx, channel)
	if err != nil {
		return nil, err
	}
	return linkSlack(ctx, rec, client, inc, joined)
}

func linkSlack(ctx context.Context, rec *recorder.Recorder, client *slack.Client, inc *blotter.Incident, ch *slack.Channel) (*SlackChannel, error) {
	w, err := rec.SlackConnection(ctx)
	if err != nil || w == nil {
		return nil, errors.Join(err, blotter.Errorf(blotter.EUNAVAILABLE, "Slack is not connected"))
	}
	sc := &SlackChannel{ID: ch.ID, Name: ch.Name, TeamID: w.TeamID}
	remote, _ := json.Marshal(sc)
	if err := rec.LinkIncident(ctx, inc.ID, SlackName, string(remote)); err != nil {
		return nil, err
	}
	header, err := headerText(ctx, rec, inc)
	if err != nil {
		return sc, err
	}
	ts, err := client.Post(ctx, ch.ID, "", header, "header:"+inc.ID)
	if err != nil {
		return sc, fmt.Errorf("linked, but the header message was not posted: %w", err)
	}
	sc.HeaderTS = ts
	remote, _ = json.Marshal(sc)
	if err := rec.UpdateLink(ctx, inc.ID, SlackName, string(remote)); err != nil {
		return sc, err
	}
	return sc, client.Pin(ctx, ch.ID, ts)
}

// headerText is the pinned message that says what the incident is, now.
func headerText(ctx context.Context, rec *recorder.Recorder, inc *blotter.Incident) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "*Incident: %s*\nSeverity *%s* · status *%s* · opened %s UTC",
		slack.EscapeText(inc.Title), inc.Severity, inc.Status, inc.CreatedAt.UTC().Format("2006-01-02 15:04"))
	if gi, err := LinkedGitLabIncident(ctx, rec, inc.ID); err == nil && gi.WebURL != "" {
		fmt.Fprintf(&b, "\nGitLab: <%s|%s#%d>", slack.EscapeURL(gi.WebURL), slack.EscapeText(gi.Project), gi.IID)
	}
	b.WriteString("\n_Kept with Blotter: react with the pin reaction, or use “Add to Blotter timeline”, to put a message on the incident's timeline._")
	return b.String(), nil
}

// SlackStatus is what `slack status` and the app's Slack settings show.
type SlackStatus struct {
	Workspace   *recorder.SlackWorkspace `json:"workspace"` // nil: not connected
	TokenSource string                   `json:"token_source,omitempty"`
	TokenError  string                   `json:"token_error,omitempty"`
	PinReaction string                   `json:"pin_reaction"`
	Incident    string                   `json:"incident_id,omitempty"`
	Channel     *SlackChannel            `json:"channel,omitempty"` // the incident's, if linked
	Policy      recorder.SlackPolicy     `json:"policy,omitempty"`
	Pending     int                      `json:"pending"`
	Failed      int                      `json:"failed"`
	LastSuccess string                   `json:"last_success,omitempty"`
}

// SlackStatusOf says how Slack is connected, and where the incident ("" for the active one)
// is in it.
func SlackStatusOf(ctx context.Context, rec *recorder.Recorder, incidentID string) (*SlackStatus, error) {
	st := &SlackStatus{}
	var err error
	if st.Workspace, err = rec.SlackConnection(ctx); err != nil {
		return nil, err
	}
	if st.PinReaction, err = rec.SlackPinReaction(ctx); err != nil {
		return nil, err
	}
	if st.Workspace != nil {
		if _, st.TokenSource, err = SlackTokenSource(st.Workspace); err != nil {
			st.TokenError = blotter.ErrorMessage(err)
		}
	}
	if inc, err := rec.Incident(ctx, incidentID); err == nil {
		st.Incident = inc.ID
		if st.Policy, err = rec.SlackPolicyOf(ctx, inc.ID); err != nil {
			return nil, err
		}
		if ch, err := LinkedSlackChannel(ctx, rec, inc.ID); err == nil {
			st.Channel = ch
		}
	}
	if st.Pending, st.Failed, err = rec.OutboxCounts(ctx, SlackName); err != nil {
		return nil, err
	}
	if at, err := rec.SyncLastSuccess(ctx, SlackName); err == nil && !at.IsZero() {
		st.LastSuccess = blotter.FormatTime(at)
	}
	return st, nil
}
