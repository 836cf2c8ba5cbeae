package slackfake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// newServer starts a fake with a fixed clock, so that timestamps are
// 1700000000.000000, .000001 ...
func newServer(t *testing.T) *Server {
	t.Helper()
	s := New()
	s.Now = func() time.Time { return time.Unix(1700000000, 0) }
	t.Cleanup(s.Close)
	return s
}

func botClient(s *Server) *slack.Client {
	return slack.New(BotToken, slack.OptionAPIURL(s.APIURL()))
}

func wantSlackError(t *testing.T, err error, code string) {
	t.Helper()
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) || se.Err != code {
		t.Fatalf("got error %v, want %s", err, code)
	}
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// seedThreads posts 250 top-level messages, every tenth with three
// replies, half of them through the bot. It returns the top-level ts in
// order and the parent -> replies map.
func seedThreads(t *testing.T, s *Server, api *slack.Client, ch string) ([]string, map[string][]string) {
	t.Helper()
	var top []string
	replies := map[string][]string{}
	for i := range 250 {
		var ts string
		if i%2 == 0 {
			ts = s.Post(ch, "U1", fmt.Sprintf("human %d", i))
		} else {
			_, posted, err := api.PostMessage(ch, slack.MsgOptionText(fmt.Sprintf("bot %d", i), false))
			if err != nil {
				t.Fatal(err)
			}
			ts = posted
		}
		top = append(top, ts)
		if i%10 == 0 {
			for j := range 3 {
				replies[ts] = append(replies[ts], s.Reply(ch, ts, "U2", fmt.Sprintf("reply %d.%d", i, j)))
			}
		}
	}
	return top, replies
}

func TestHistoryAndRepliesPaging(t *testing.T) {
	s := newServer(t)
	s.AddUser("U1", "ada", "Ada")
	s.AddUser("U2", "bob", "Bob")
	ch := s.AddChannel("incident-paging")
	api := botClient(s)
	ctx := context.Background()

	if _, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: ch}); err == nil {
		t.Fatal("history before join: want not_in_channel")
	} else {
		wantSlackError(t, err, "not_in_channel")
	}
	if _, _, _, err := api.JoinConversationContext(ctx, ch); err != nil {
		t.Fatal(err)
	}
	top, replies := seedThreads(t, s, api, ch)

	checkParent := func(m slack.Message) {
		t.Helper()
		r, isParent := replies[m.Timestamp]
		if !isParent {
			if m.ThreadTimestamp != "" || m.ReplyCount != 0 {
				t.Fatalf("plain message %s has thread fields %q %d", m.Timestamp, m.ThreadTimestamp, m.ReplyCount)
			}
			return
		}
		if m.ThreadTimestamp != m.Timestamp || m.ReplyCount != 3 || m.LatestReply != r[2] {
			t.Fatalf("parent %s: thread_ts %q reply_count %d latest_reply %q", m.Timestamp, m.ThreadTimestamp, m.ReplyCount, m.LatestReply)
		}
	}

	// Backward: no bounds, newest first, following next_cursor.
	var back []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatal("too many pages")
		}
		res, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
			ChannelID: ch, Limit: 7, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range res.Messages {
			checkParent(m)
			back = append(back, m.Timestamp)
		}
		if !res.HasMore {
			if res.ResponseMetaData.NextCursor != "" {
				t.Fatal("next_cursor without has_more")
			}
			break
		}
		cursor = res.ResponseMetaData.NextCursor
	}
	if len(back) != len(top) {
		t.Fatalf("backward paging got %d messages, want %d", len(back), len(top))
	}
	for i, ts := range back {
		if want := top[len(top)-1-i]; ts != want {
			t.Fatalf("backward[%d] = %s, want %s", i, ts, want)
		}
	}

	// Forward with a cursor: oldest alone gives the messages closest to it.
	var fwd []string
	cursor = ""
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatal("too many pages")
		}
		res, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
			ChannelID: ch, Limit: 9, Oldest: "0", Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		// Each page is newest first; pages go forward in time.
		for i := len(res.Messages) - 1; i >= 0; i-- {
			fwd = append(fwd, res.Messages[i].Timestamp)
		}
		if !res.HasMore {
			break
		}
		cursor = res.ResponseMetaData.NextCursor
	}
	if strings.Join(fwd, ",") != strings.Join(top, ",") {
		t.Fatalf("forward cursor paging: got %d messages, not each once in order", len(fwd))
	}

	// Forward without a cursor: oldest = the newest ts seen so far.
	var manual []string
	oldest := "0"
	for {
		res, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
			ChannelID: ch, Limit: 20, Oldest: oldest})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Messages) == 0 {
			break
		}
		for i := len(res.Messages) - 1; i >= 0; i-- {
			manual = append(manual, res.Messages[i].Timestamp)
		}
		oldest = res.Messages[0].Timestamp
	}
	if strings.Join(manual, ",") != strings.Join(top, ",") {
		t.Fatalf("forward paging by oldest: got %d messages, not each once in order", len(manual))
	}

	// Bounds are exclusive unless inclusive.
	res, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
		ChannelID: ch, Oldest: top[5], Latest: top[10]})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Messages) != 4 || res.Messages[0].Timestamp != top[9] || res.Messages[3].Timestamp != top[6] {
		t.Fatalf("exclusive window: %d messages", len(res.Messages))
	}
	res, err = api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
		ChannelID: ch, Oldest: top[5], Latest: top[10], Inclusive: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Messages) != 6 {
		t.Fatalf("inclusive window: %d messages, want 6", len(res.Messages))
	}

	// Replies: a long thread, paged in both directions of the API's use.
	parent := top[20]
	for j := range 22 {
		replies[parent] = append(replies[parent], s.Reply(ch, parent, "U1", fmt.Sprintf("more %d", j)))
	}
	want := append([]string{parent}, replies[parent]...)
	var got []string
	cursor = ""
	for pages := 0; ; pages++ {
		if pages > 50 {
			t.Fatal("too many pages")
		}
		msgs, more, next, err := api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
			ChannelID: ch, Timestamp: parent, Limit: 4, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		if pages == 0 && (msgs[0].Timestamp != parent || msgs[0].ReplyCount != 25) {
			t.Fatalf("first page must open with the parent (reply_count 25), got %s %d", msgs[0].Timestamp, msgs[0].ReplyCount)
		}
		for _, m := range msgs {
			if m.Timestamp != parent && (m.ThreadTimestamp != parent || m.ParentUserId != "U1") {
				t.Fatalf("reply %s: thread_ts %q parent_user_id %q", m.Timestamp, m.ThreadTimestamp, m.ParentUserId)
			}
			got = append(got, m.Timestamp)
		}
		if !more {
			break
		}
		cursor = next
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("replies paging: got %v\nwant %v", got, want)
	}
	// A reply's ts names the same thread.
	msgs, _, _, err := api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
		ChannelID: ch, Timestamp: replies[parent][3]})
	if err != nil || len(msgs) != 26 || msgs[0].Timestamp != parent {
		t.Fatalf("replies by a reply's ts: %d messages, %v", len(msgs), err)
	}
	_, _, _, err = api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
		ChannelID: ch, Timestamp: "1600000000.000000"})
	wantSlackError(t, err, "thread_not_found")

	if n := len(s.Messages(ch)); n != 250+25*3+22 {
		t.Fatalf("Messages: %d", n)
	}
}

func TestChatMessages(t *testing.T) {
	s := newServer(t)
	s.AddUser("U1", "ada", "Ada")
	ch := s.AddChannel("incident-chat")
	api := botClient(s)
	ctx := context.Background()

	_, _, err := api.PostMessageContext(ctx, ch, slack.MsgOptionText("hi", false))
	wantSlackError(t, err, "not_in_channel")
	_, _, err = api.PostMessageContext(ctx, "C0NOPE", slack.MsgOptionText("hi", false))
	wantSlackError(t, err, "channel_not_found")
	if _, _, _, err := api.JoinConversationContext(ctx, ch); err != nil {
		t.Fatal(err)
	}
	_, warning, _, err := api.JoinConversationContext(ctx, ch)
	if err != nil || warning != "already_in_channel" {
		t.Fatalf("second join: %q %v", warning, err)
	}

	gotCh, ts, err := api.PostMessageContext(ctx, ch, slack.MsgOptionText("Incident started", false),
		slack.MsgOptionDisableLinkUnfurl())
	if err != nil || gotCh != ch || ts != "1700000000.000000" {
		t.Fatalf("post: %q %q %v", gotCh, ts, err)
	}
	_, replyTS, err := api.PostMessageContext(ctx, ch, slack.MsgOptionText("in thread", false), slack.MsgOptionTS(ts))
	if err != nil {
		t.Fatal(err)
	}
	msgs := s.Messages(ch)
	if len(msgs) != 2 || msgs[0].User != BotUserID || msgs[0].BotID != BotID ||
		msgs[0].UnfurlLinks == nil || *msgs[0].UnfurlLinks || msgs[0].ThreadTS != ts || msgs[1].ThreadTS != ts {
		t.Fatalf("stored: %+v", msgs)
	}

	if _, _, _, err := api.UpdateMessageContext(ctx, ch, ts, slack.MsgOptionText("Incident started (SEV2)", false)); err != nil {
		t.Fatal(err)
	}
	st, _ := s.Channel(ch)
	if m := st.Messages[0]; m.Text != "Incident started (SEV2)" || m.Edited == nil || m.Edited.User != BotUserID {
		t.Fatalf("after update: %+v", m)
	}
	hist, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: ch})
	if err != nil || len(hist.Messages) != 1 || hist.Messages[0].Edited == nil || hist.Messages[0].BotID != BotID {
		t.Fatalf("history after update: %+v %v", hist, err)
	}

	link, err := api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: ch, Ts: ts})
	if want := "https://fake.slack.com/archives/" + ch + "/p1700000000000000"; err != nil || link != want {
		t.Fatalf("permalink %q %v, want %q", link, err, want)
	}
	link, err = api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: ch, Ts: replyTS})
	if err != nil || !strings.Contains(link, "?thread_ts="+ts+"&cid="+ch) {
		t.Fatalf("reply permalink %q %v", link, err)
	}

	if err := api.AddPinContext(ctx, ch, slack.NewRefToMessage(ch, ts)); err != nil {
		t.Fatal(err)
	}
	wantSlackError(t, api.AddPinContext(ctx, ch, slack.NewRefToMessage(ch, ts)), "already_pinned")
	if st, _ := s.Channel(ch); len(st.Pins) != 1 || st.Pins[0] != ts || !st.BotMember {
		t.Fatalf("pins %v member %v", st.Pins, st.BotMember)
	}

	human := s.Post(ch, "U1", "mine")
	_, _, _, err = api.UpdateMessageContext(ctx, ch, human, slack.MsgOptionText("x", false))
	wantSlackError(t, err, "cant_update_message")
	_, _, err = api.DeleteMessageContext(ctx, ch, human)
	wantSlackError(t, err, "cant_delete_message")

	if _, _, err := api.DeleteMessageContext(ctx, ch, replyTS); err != nil {
		t.Fatal(err)
	}
	_, _, err = api.DeleteMessageContext(ctx, ch, replyTS)
	wantSlackError(t, err, "message_not_found")
	if msgs := s.Messages(ch); len(msgs) != 2 || msgs[0].ThreadTS != "" {
		t.Fatalf("after delete: %+v", msgs)
	}

	// A thread parent deleted under live replies stays as a tombstone.
	r := s.Reply(ch, human, "U1", "reply")
	s.Delete(ch, human)
	hist, err = api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: ch})
	if err != nil || len(hist.Messages) != 2 || hist.Messages[0].SubType != "tombstone" || hist.Messages[0].ReplyCount != 1 {
		t.Fatalf("tombstone: %+v %v", hist.Messages, err)
	}
	s.Edit(ch, r, "reply, edited")
	if msgs := s.Messages(ch); msgs[len(msgs)-1].Edited == nil || msgs[len(msgs)-1].Edited.User != "U1" {
		t.Fatalf("Edit: %+v", msgs[len(msgs)-1])
	}
}

func TestCreateChannel(t *testing.T) {
	s := newServer(t)
	api := botClient(s)
	ctx := context.Background()
	c, err := api.CreateConversationContext(ctx, slack.CreateConversationParams{ChannelName: "inc-42-db"})
	if err != nil || c.Name != "inc-42-db" || !c.IsMember || c.Creator != BotUserID {
		t.Fatalf("create: %+v %v", c, err)
	}
	// The creator is a member: it can post without joining.
	if _, _, err := api.PostMessageContext(ctx, c.ID, slack.MsgOptionText("hi", false)); err != nil {
		t.Fatal(err)
	}
	info, err := api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: c.ID})
	if err != nil || info.Name != "inc-42-db" || !info.IsMember {
		t.Fatalf("info: %+v %v", info, err)
	}
	for name, code := range map[string]string{
		"inc-42-db":             "name_taken",
		"Inc-42":                "invalid_name_specials",
		"inc 42":                "invalid_name_specials",
		"inc.42":                "invalid_name_specials",
		"":                      "invalid_name_required",
		"--_":                   "invalid_name_punctuation",
		strings.Repeat("a", 81): "invalid_name_maxlength",
	} {
		_, err := api.CreateConversationContext(ctx, slack.CreateConversationParams{ChannelName: name})
		wantSlackError(t, err, code)
	}
	if _, err := api.CreateConversationContext(ctx, slack.CreateConversationParams{ChannelName: strings.Repeat("a", 80)}); err != nil {
		t.Fatalf("80 characters: %v", err)
	}
	_, err = api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: "C0NOPE"})
	wantSlackError(t, err, "channel_not_found")
}

func TestUsersInfo(t *testing.T) {
	s := newServer(t)
	s.AddUser("U1", "ada", "Ada L.")
	api := botClient(s)
	u, err := api.GetUserInfo("U1")
	if err != nil || u.Name != "ada" || u.RealName != "ada" || u.Profile.DisplayName != "Ada L." || u.IsBot {
		t.Fatalf("users.info: %+v %v", u, err)
	}
	bot, err := api.GetUserInfo(BotUserID)
	if err != nil || !bot.IsBot {
		t.Fatalf("bot user: %+v %v", bot, err)
	}
	_, err = api.GetUserInfo("U404")
	wantSlackError(t, err, "user_not_found")
}

func TestFilesUpload(t *testing.T) {
	s := newServer(t)
	ch := s.AddChannel("incident-files")
	api := botClient(s)
	ctx := context.Background()
	if _, _, _, err := api.JoinConversationContext(ctx, ch); err != nil {
		t.Fatal(err)
	}
	content := "line 1\nline 2\n"

	// A share that is not visible yet (an hour of delay).
	s.mu.Lock()
	s.ShareDelay = time.Hour
	s.mu.Unlock()
	slow, err := api.UploadFileContext(ctx, slack.UploadFileParameters{
		Filename: "slow.txt", Content: content, FileSize: len(content), Channel: ch})
	if err != nil {
		t.Fatal(err)
	}
	f, _, _, err := api.GetFileInfoContext(ctx, slow.ID, 0, 0)
	if err != nil || len(f.Shares.Public) != 0 || len(f.Channels) != 0 {
		t.Fatalf("share before ShareDelay: %+v %v", f.Shares, err)
	}

	s.mu.Lock()
	s.ShareDelay = 50 * time.Millisecond
	s.mu.Unlock()
	start := time.Now()
	sum, err := api.UploadFileContext(ctx, slack.UploadFileParameters{
		Filename: "timeline.txt", Title: "Timeline", Content: content, FileSize: len(content),
		Channel: ch, InitialComment: "the timeline"})
	if err != nil || sum.Title != "Timeline" {
		t.Fatalf("upload: %+v %v", sum, err)
	}
	msgs := s.Messages(ch)
	last := msgs[len(msgs)-1]
	if last.Text != "the timeline" || len(last.Files) != 1 || last.Files[0].ID != sum.ID ||
		string(last.Files[0].Content) != content || last.BotID != BotID {
		t.Fatalf("message with file: %+v", last)
	}
	var info *slack.File
	waitFor(t, 5*time.Second, "the share", func() bool {
		info, _, _, err = api.GetFileInfoContext(ctx, sum.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(info.Shares.Public[ch]) == 1
	})
	if time.Since(start) < 50*time.Millisecond {
		t.Fatal("share visible before ShareDelay")
	}
	if info.Shares.Public[ch][0].Ts != last.TS || info.Channels[0] != ch || info.Size != len(content) {
		t.Fatalf("files.info: %+v", info)
	}
	var buf strings.Builder
	if err := api.GetFileContext(ctx, info.URLPrivateDownload, &buf); err != nil || buf.String() != content {
		t.Fatalf("download: %q %v", buf.String(), err)
	}
	// Without the token the download ends on the sign-in page.
	other := slack.New("xoxb-someone-else", slack.OptionAPIURL(s.APIURL()))
	if err := other.GetFileContext(ctx, info.URLPrivateDownload, io.Discard); err == nil ||
		!strings.Contains(err.Error(), "sign-in") {
		t.Fatalf("download without the token: %v", err)
	}

	// A person's file.
	ts := s.PostFile(ch, "U1", "screenshot", "shot.png", []byte("\x89PNG..."))
	hist, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: ch, Limit: 1})
	if err != nil || hist.Messages[0].Timestamp != ts || len(hist.Messages[0].Files) != 1 {
		t.Fatalf("history with a file: %+v %v", hist, err)
	}
	pf := hist.Messages[0].Files[0]
	buf.Reset()
	if err := api.GetFileContext(ctx, pf.URLPrivateDownload, &buf); err != nil || buf.String() != "\x89PNG..." ||
		pf.Mimetype != "image/png" || pf.User != "U1" {
		t.Fatalf("person's file: %+v %v", pf, err)
	}

	_, _, _, err = api.GetFileInfoContext(ctx, "F404", 0, 0)
	wantSlackError(t, err, "file_not_found")
}

func TestAuthAndTokens(t *testing.T) {
	s := newServer(t)
	api := botClient(s)
	a, err := api.AuthTest()
	if err != nil || a.UserID != BotUserID || a.BotID != BotID || a.TeamID != TeamID || a.URL != TeamURL {
		t.Fatalf("auth.test: %+v %v", a, err)
	}
	_, err = slack.New("xoxb-wrong", slack.OptionAPIURL(s.APIURL())).AuthTest()
	wantSlackError(t, err, "invalid_auth")
	_, _, err = slack.New(BotToken, slack.OptionAPIURL(s.APIURL()), slack.OptionAppLevelToken(BotToken)).StartSocketModeContext(context.Background())
	wantSlackError(t, err, "not_allowed_token_type")
	_, err = slack.New(AppToken, slack.OptionAPIURL(s.APIURL())).AuthTest()
	wantSlackError(t, err, "not_allowed_token_type")

	s.RevokeTokens()
	_, err = api.AuthTest()
	wantSlackError(t, err, "token_revoked")
	_, err = api.GetUserInfo(BotUserID)
	wantSlackError(t, err, "token_revoked")
}

func TestFaults(t *testing.T) {
	s := newServer(t)
	ch := s.AddChannel("incident-faults")
	api := botClient(s)
	ctx := context.Background()
	if _, _, _, err := api.JoinConversationContext(ctx, ch); err != nil {
		t.Fatal(err)
	}

	rule := s.Fail("chat.postMessage", RateLimited(1500*time.Millisecond))
	_, _, err := api.PostMessageContext(ctx, ch, slack.MsgOptionText("a", false))
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != 2*time.Second {
		t.Fatalf("rate limit: %v", err)
	}
	if _, _, err := api.PostMessageContext(ctx, ch, slack.MsgOptionText("a", false)); err != nil {
		t.Fatalf("after the one fault: %v", err)
	}
	if s.Calls("chat.postMessage") != 2 || rule.Hits() != 1 || len(s.Messages(ch)) != 1 {
		t.Fatalf("calls %d hits %d messages %d", s.Calls("chat.postMessage"), rule.Hits(), len(s.Messages(ch)))
	}

	s.Fail("", Status(500).Times(2))
	for range 2 {
		_, err = api.AuthTestContext(ctx)
		var sc slack.StatusCodeError
		if !errors.As(err, &sc) || sc.Code != 500 {
			t.Fatalf("500: %v", err)
		}
	}
	if _, err := api.AuthTestContext(ctx); err != nil {
		t.Fatal(err)
	}

	s.Fail("conversations.history", Hang())
	hctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	_, err = api.GetConversationHistoryContext(hctx, &slack.GetConversationHistoryParameters{ChannelID: ch})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("hang: %v", err)
	}

	forever := s.Fail(MethodDownload, Status(http.StatusServiceUnavailable).Forever())
	s.Fail("users.info", RateLimited(0))
	_, err = api.GetUserInfo(BotUserID)
	if !errors.As(err, &rl) || rl.RetryAfter != time.Second {
		t.Fatalf("Retry-After is at least 1s: %v", err)
	}
	forever.Remove()
	if s.Calls("users.info") != 1 {
		t.Fatal("calls")
	}
}

func TestUnknownMethod(t *testing.T) {
	s := newServer(t)
	resp, err := http.Post(s.APIURL()+"nope.nothing", "application/x-www-form-urlencoded", strings.NewReader("token="+BotToken))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(b), "unknown_method") {
		t.Fatalf("unknown method: %s", b)
	}
}
