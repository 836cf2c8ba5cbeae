package slackfake

// chat.postMessage, .update, .delete, .getPermalink, pins.add, users.info
// and auth.test.

import (
	"strings"
	"unicode/utf8"
)

func (s *Server) authTest(q *request) (obj, error) {
	return obj{
		"url":                   TeamURL,
		"team":                  TeamName,
		"user":                  BotName,
		"team_id":               TeamID,
		"user_id":               BotUserID,
		"bot_id":                BotID,
		"is_enterprise_install": false,
	}, nil
}

// maxTextLen is Slack's limit on a message's text; longer text is
// rejected with msg_too_long (Slack truncates past 4,000 characters only
// when displaying).
const maxTextLen = 40000

// messageArgs reads the content of a posted or updated message.
func messageArgs(q *request) (text string, blocks, attachments []byte, err error) {
	text = q.get("text")
	b, ok := raw(q.get("blocks"))
	if !ok {
		return "", nil, nil, apiError("invalid_blocks_format")
	}
	a, ok := raw(q.get("attachments"))
	if !ok {
		return "", nil, nil, apiError("invalid_attachments")
	}
	if utf8.RuneCountInString(text) > maxTextLen {
		return "", nil, nil, apiError("msg_too_long")
	}
	return text, b, a, nil
}

// findChannelLocked resolves chat.postMessage's channel argument: an ID,
// or a name with or without "#".
func (s *Server) findChannelLocked(arg string) string {
	if _, ok := s.channels[arg]; ok {
		return arg
	}
	name := strings.TrimPrefix(arg, "#")
	for id, c := range s.channels {
		if c.name == name {
			return id
		}
	}
	return arg
}

// chatPostMessage stores the message as the bot's. A thread_ts that is a
// reply's ts threads under that reply's parent. A well-formed thread_ts
// that matches no message is accepted, and the reply is stored but shows
// nowhere, as Slack does with a wrong thread_ts. reply_broadcast is not
// modelled.
func (s *Server) chatPostMessage(q *request) (obj, error) {
	c, err := s.botChannelLocked(s.findChannelLocked(q.get("channel")), true)
	if err != nil {
		return nil, err
	}
	if c.archived {
		return nil, apiError("is_archived")
	}
	text, blocks, attachments, err := messageArgs(q)
	if err != nil {
		return nil, err
	}
	if text == "" && blocks == nil && attachments == nil {
		return nil, apiError("no_text")
	}
	meta, ok := raw(q.get("metadata"))
	if !ok {
		return nil, apiError("invalid_metadata_format")
	}
	m := &msg{user: BotUserID, botID: BotID, text: text, blocks: blocks, attachments: attachments, metadata: meta}
	if t := q.get("thread_ts"); t != "" {
		if _, ok := parseTS(t); !ok {
			return nil, apiError("invalid_thread_ts")
		}
		if p, ok := c.byTS[t]; ok && p.threadTS != "" {
			t = p.threadTS
		}
		m.threadTS = t
	}
	if v, set := q.bool("unfurl_links"); set {
		m.unfurlLinks = &v
	}
	if v, set := q.bool("unfurl_media"); set {
		m.unfurlMedia = &v
	}
	s.appendLocked(c, m)
	return obj{"channel": c.id, "ts": m.ts, "message": s.messageJSON(c, m)}, nil
}

// botMessageLocked finds a live message for chat.update and chat.delete.
func (s *Server) botMessageLocked(q *request) (*channel, *msg, error) {
	c, err := s.botChannelLocked(q.get("channel"), false)
	if err != nil {
		return nil, nil, err
	}
	m, ok := c.byTS[q.get("ts")]
	if !ok || m.deleted {
		return nil, nil, apiError("message_not_found")
	}
	return c, m, nil
}

// chatUpdate edits one of the bot's messages. Blocks and attachments not
// sent are kept, as Slack does.
func (s *Server) chatUpdate(q *request) (obj, error) {
	c, m, err := s.botMessageLocked(q)
	if err != nil {
		return nil, err
	}
	if m.user != BotUserID {
		return nil, apiError("cant_update_message")
	}
	text, blocks, attachments, err := messageArgs(q)
	if err != nil {
		return nil, err
	}
	if !q.has("blocks") {
		blocks = m.blocks
	}
	if !q.has("attachments") {
		attachments = m.attachments
	}
	if text == "" && blocks == nil && attachments == nil {
		return nil, apiError("no_text")
	}
	s.editLocked(m, BotUserID, text, blocks)
	m.attachments = attachments
	return obj{"channel": c.id, "ts": m.ts, "text": m.text, "message": s.messageJSON(c, m)}, nil
}

// chatDelete deletes one of the bot's messages; a bot token cannot delete
// other people's.
func (s *Server) chatDelete(q *request) (obj, error) {
	c, m, err := s.botMessageLocked(q)
	if err != nil {
		return nil, err
	}
	if m.user != BotUserID {
		return nil, apiError("cant_delete_message")
	}
	s.deleteLocked(c, m)
	return obj{"channel": c.id, "ts": m.ts}, nil
}

func (s *Server) chatGetPermalink(q *request) (obj, error) {
	c, err := s.botChannelLocked(q.get("channel"), false)
	if err != nil {
		return nil, err
	}
	m, ok := c.byTS[q.get("message_ts")]
	if !ok || m.deleted {
		return nil, apiError("message_not_found")
	}
	return obj{"channel": c.id, "permalink": permalink(c.id, m.ts, m.threadTS)}, nil
}

// pinsAdd pins a message (files and file comments are not modelled).
func (s *Server) pinsAdd(q *request) (obj, error) {
	c, err := s.botChannelLocked(q.get("channel"), true)
	if err != nil {
		return nil, err
	}
	ts := q.get("timestamp")
	if ts == "" {
		return nil, apiError("no_item_specified")
	}
	m, ok := c.byTS[ts]
	if !ok || m.deleted {
		return nil, apiError("message_not_found")
	}
	if containsStr(c.pins, ts) {
		return nil, apiError("already_pinned")
	}
	c.pins = append(c.pins, ts)
	return obj{}, nil
}

func (s *Server) usersInfo(q *request) (obj, error) {
	u, ok := s.users[q.get("user")]
	if !ok {
		return nil, apiError("user_not_found")
	}
	return obj{"user": userJSON(u)}, nil
}
