package slackfake

// conversations.create, .join, .info, .history and .replies, with Slack's
// cursor paging.

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// botChannelLocked finds a channel as the bot sees it: a private channel
// the bot is not in does not exist for it, and reading or writing a public
// one needs membership (bot tokens have no chat:write.public here).
func (s *Server) botChannelLocked(id string, needMember bool) (*channel, error) {
	c, ok := s.channels[id]
	if !ok || (c.private && !c.isMember(BotUserID)) {
		return nil, apiError("channel_not_found")
	}
	if needMember && !c.isMember(BotUserID) {
		return nil, apiError("not_in_channel")
	}
	return c, nil
}

// validChannelName applies Slack's naming rules: lowercase letters,
// digits, hyphens and underscores, at most 80 characters, not only
// punctuation.
func validChannelName(name string) error {
	if name == "" {
		return apiError("invalid_name_required")
	}
	if len([]rune(name)) > 80 {
		return apiError("invalid_name_maxlength")
	}
	letters := false
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			letters = true
		case r == '-' || r == '_':
		default:
			return apiError("invalid_name_specials")
		}
	}
	if !letters {
		return apiError("invalid_name_punctuation")
	}
	return nil
}

func (s *Server) conversationsCreate(q *request) (obj, error) {
	name := q.get("name")
	if err := validChannelName(name); err != nil {
		return nil, err
	}
	for _, c := range s.channels {
		if c.name == name {
			return nil, apiError("name_taken")
		}
	}
	private, _ := q.bool("is_private")
	c := s.addChannelLocked(name, private, BotUserID)
	return obj{"channel": s.channelJSON(c)}, nil
}

func (s *Server) conversationsJoin(q *request) (obj, error) {
	c, ok := s.channels[q.get("channel")]
	if !ok {
		return nil, apiError("channel_not_found")
	}
	if c.private && !c.isMember(BotUserID) {
		return nil, apiError("method_not_supported_for_channel_type")
	}
	if c.archived {
		return nil, apiError("is_archived")
	}
	res := obj{}
	if c.isMember(BotUserID) {
		res["warning"] = "already_in_channel"
		res["response_metadata"] = obj{"warnings": []string{"already_in_channel"}}
	}
	c.join(BotUserID)
	res["channel"] = s.channelJSON(c)
	return res, nil
}

func (s *Server) conversationsInfo(q *request) (obj, error) {
	c, err := s.botChannelLocked(q.get("channel"), false)
	if err != nil {
		return nil, err
	}
	ch := s.channelJSON(c)
	if v, _ := q.bool("include_num_members"); v {
		ch["num_members"] = len(c.members)
	}
	return obj{"channel": ch}, nil
}

// window is the oldest/latest/inclusive range of a history call, in
// microseconds.
type window struct {
	oldest, latest       int64
	hasOldest, hasLatest bool
	inclusive            bool
}

func parseWindow(q *request) (window, error) {
	w := window{latest: 1<<63 - 1}
	if v := q.get("oldest"); v != "" {
		t, ok := parseTS(v)
		if !ok {
			return w, apiError("invalid_ts_oldest")
		}
		w.oldest, w.hasOldest = t, true
	}
	if v := q.get("latest"); v != "" {
		t, ok := parseTS(v)
		if !ok {
			return w, apiError("invalid_ts_latest")
		}
		w.latest, w.hasLatest = t, true
	}
	w.inclusive, _ = q.bool("inclusive")
	return w, nil
}

// contains reports whether t is inside the window. Both ends are
// exclusive unless inclusive was asked for.
func (w window) contains(t int64) bool {
	if w.inclusive {
		return (!w.hasOldest || t >= w.oldest) && (!w.hasLatest || t <= w.latest)
	}
	return (!w.hasOldest || t > w.oldest) && (!w.hasLatest || t < w.latest)
}

// parseLimit reads limit: the default when absent or not positive, capped
// at max.
func parseLimit(q *request, def, max int) int {
	n, err := strconv.Atoi(q.get("limit"))
	if err != nil || n <= 0 {
		return def
	}
	return min(n, max)
}

// A cursor is opaque to clients. Like Slack's, it is base64 of
// "next_ts:<ts in microseconds>"; a forward page is marked "_asc" so that
// the direction survives even if the client drops oldest on the next call.
type cursor struct {
	boundary  int64
	ascending bool
}

func encodeCursor(c cursor) string {
	prefix := "next_ts"
	if c.ascending {
		prefix = "next_ts_asc"
	}
	return base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "%s:%d", prefix, c.boundary))
}

func parseCursor(q *request) (*cursor, error) {
	v := q.get("cursor")
	if v == "" {
		return nil, nil
	}
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return nil, apiError("invalid_cursor")
	}
	kind, num, _ := strings.Cut(string(b), ":")
	t, err := strconv.ParseInt(num, 10, 64)
	if err != nil || (kind != "next_ts" && kind != "next_ts_asc") {
		return nil, apiError("invalid_cursor")
	}
	return &cursor{boundary: t, ascending: kind == "next_ts_asc"}, nil
}

// paginate takes up to limit messages from all (ascending ts) in the
// given direction, after the cursor's boundary. It returns the page in
// ascending order and, when more remain, the cursor of the next page.
func paginate(all []*msg, limit int, ascending bool, after *cursor) (page []*msg, next string) {
	var rest []*msg
	for _, m := range all {
		if after == nil || (ascending && m.micros > after.boundary) || (!ascending && m.micros < after.boundary) {
			rest = append(rest, m)
		}
	}
	if len(rest) <= limit {
		return rest, ""
	}
	if ascending {
		page = rest[:limit]
		return page, encodeCursor(cursor{boundary: page[len(page)-1].micros, ascending: true})
	}
	page = rest[len(rest)-limit:]
	return page, encodeCursor(cursor{boundary: page[0].micros})
}

// conversationsHistory lists top-level messages and thread parents (not
// replies), newest first. Without oldest, or with latest, the page is the
// newest messages of the range and the cursor pages back in time; with
// oldest alone the page is the messages closest to oldest and the cursor
// pages forward, as Slack documents. The page is newest first either way.
func (s *Server) conversationsHistory(q *request) (obj, error) {
	c, err := s.botChannelLocked(q.get("channel"), true)
	if err != nil {
		return nil, err
	}
	w, err := parseWindow(q)
	if err != nil {
		return nil, err
	}
	cur, err := parseCursor(q)
	if err != nil {
		return nil, err
	}
	limit := parseLimit(q, 100, 999)
	var all []*msg
	for _, m := range c.msgs {
		if m.threadTS != "" || !w.contains(m.micros) {
			continue
		}
		if m.deleted && len(c.liveReplies(m.ts)) == 0 {
			continue
		}
		all = append(all, m)
	}
	ascending := w.hasOldest && !w.hasLatest
	if cur != nil {
		ascending = cur.ascending
	}
	page, next := paginate(all, limit, ascending, cur)
	msgs := make([]obj, 0, len(page))
	for i := len(page) - 1; i >= 0; i-- {
		msgs = append(msgs, withMetadata(q, s.messageJSON(c, page[i]), page[i]))
	}
	res := obj{
		"messages":  msgs,
		"has_more":  next != "",
		"pin_count": len(c.pins),
	}
	if w.hasLatest {
		res["latest"] = q.get("latest")
	}
	if next != "" {
		res["response_metadata"] = obj{"next_cursor": next}
	}
	return res, nil
}

// conversationsReplies lists a thread: the parent first, then the replies
// oldest first. oldest/latest filter the replies; the parent opens the
// first page only (continuation pages carry replies alone) and counts
// toward limit. ts may be the parent's or any reply's.
func (s *Server) conversationsReplies(q *request) (obj, error) {
	c, err := s.botChannelLocked(q.get("channel"), true)
	if err != nil {
		return nil, err
	}
	m, ok := c.byTS[q.get("ts")]
	if !ok {
		return nil, apiError("thread_not_found")
	}
	if m.threadTS != "" {
		if m, ok = c.byTS[m.threadTS]; !ok {
			return nil, apiError("thread_not_found")
		}
	}
	if m.deleted && len(c.liveReplies(m.ts)) == 0 {
		return nil, apiError("thread_not_found")
	}
	w, err := parseWindow(q)
	if err != nil {
		return nil, err
	}
	cur, err := parseCursor(q)
	if err != nil {
		return nil, err
	}
	limit := parseLimit(q, 1000, 1000)
	var all []*msg
	if cur == nil {
		all = append(all, m)
	}
	for _, r := range c.liveReplies(m.ts) {
		if w.contains(r.micros) {
			all = append(all, r)
		}
	}
	if cur != nil {
		cur.ascending = true
	}
	page, next := paginate(all, limit, true, cur)
	msgs := make([]obj, 0, len(page))
	for _, p := range page {
		msgs = append(msgs, withMetadata(q, s.messageJSON(c, p), p))
	}
	res := obj{"messages": msgs, "has_more": next != ""}
	if next != "" {
		res["response_metadata"] = obj{"next_cursor": next}
	}
	return res, nil
}

// withMetadata adds a message's metadata to its JSON when the call asked for it: Slack
// returns metadata in history and replies only with include_all_metadata=true.
func withMetadata(q *request, o obj, m *msg) obj {
	if all, _ := q.bool("include_all_metadata"); all && len(m.metadata) > 0 && !m.deleted {
		o["metadata"] = m.metadata
	}
	return o
}

// conversationsList lists the public channels (private ones too when asked for and the bot
// is a member), a page at a time, by name.
func (s *Server) conversationsList(q *request) (obj, error) {
	types := q.get("types")
	if types == "" {
		types = "public_channel"
	}
	wantPublic, wantPrivate := strings.Contains(types, "public_channel"), strings.Contains(types, "private_channel")
	var all []*channel
	for _, c := range s.channels {
		if (c.private && wantPrivate && c.isMember(BotUserID)) || (!c.private && wantPublic && !c.archived) {
			all = append(all, c)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].name < all[j].name })
	limit := 100
	if v, err := strconv.Atoi(q.get("limit")); err == nil && v > 0 {
		limit = min(v, 1000)
	}
	start := 0
	if cur := q.get("cursor"); cur != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(cur, "list:"))
		if err != nil || n < 0 || n > len(all) {
			return nil, apiError("invalid_cursor")
		}
		start = n
	}
	end := min(start+limit, len(all))
	chans := []obj{}
	for _, c := range all[start:end] {
		chans = append(chans, s.channelJSON(c))
	}
	next := ""
	if end < len(all) {
		next = "list:" + strconv.Itoa(end)
	}
	return obj{"channels": chans, "response_metadata": obj{"next_cursor": next}}, nil
}
