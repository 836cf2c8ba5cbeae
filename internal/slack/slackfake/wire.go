package slackfake

// JSON shapes of Slack objects (channel, message, file, user) as the Web API
// and the Events API send them.

import (
	"encoding/json"
	"net/url"
	"time"
)

// channelJSON is a conversation object as conversations.info, .create and
// .join return it to the bot.
func (s *Server) channelJSON(c *channel) obj {
	created := c.created.Unix()
	return obj{
		"id":                    c.id,
		"name":                  c.name,
		"name_normalized":       c.name,
		"is_channel":            !c.private,
		"is_group":              c.private,
		"is_im":                 false,
		"is_mpim":               false,
		"is_private":            c.private,
		"created":               created,
		"updated":               created * 1000,
		"is_archived":           c.archived,
		"is_general":            false,
		"unlinked":              0,
		"is_shared":             false,
		"is_org_shared":         false,
		"is_ext_shared":         false,
		"is_pending_ext_shared": false,
		"pending_shared":        []string{},
		"context_team_id":       TeamID,
		"shared_team_ids":       []string{TeamID},
		"creator":               c.creator,
		"is_member":             c.isMember(BotUserID),
		"last_read":             "0000000000.000000",
		"topic":                 obj{"value": "", "creator": "", "last_set": 0},
		"purpose":               obj{"value": "", "creator": "", "last_set": 0},
		"previous_names":        []string{},
		"priority":              0,
	}
}

// messageJSON is a message as conversations.history and .replies list it
// (and as chat.postMessage echoes it).
func (s *Server) messageJSON(c *channel, m *msg) obj {
	if m.deleted {
		// Only a thread parent with live replies is still listed, as the
		// tombstone Slack leaves in its place.
		return obj{
			"type":              "message",
			"subtype":           "tombstone",
			"text":              "This message was deleted.",
			"user":              "USLACKBOT",
			"hidden":            true,
			"ts":                m.ts,
			"thread_ts":         m.ts,
			"reply_count":       len(c.liveReplies(m.ts)),
			"reply_users":       replyUsers(c, m.ts),
			"reply_users_count": len(replyUsers(c, m.ts)),
			"latest_reply":      latestReply(c, m.ts),
		}
	}
	o := obj{
		"type": "message",
		"ts":   m.ts,
		"user": m.user,
		"text": m.text,
		"team": TeamID,
	}
	if m.botID != "" {
		o["bot_id"] = m.botID
		o["app_id"] = AppID
		o["bot_profile"] = obj{"id": m.botID, "app_id": AppID, "name": BotName,
			"team_id": TeamID, "deleted": false, "updated": 0}
	}
	if len(m.blocks) > 0 {
		o["blocks"] = m.blocks
	}
	if len(m.attachments) > 0 {
		o["attachments"] = m.attachments
	}
	if m.edited != nil {
		o["edited"] = obj{"user": m.edited.User, "ts": m.edited.TS}
	}
	if len(m.files) > 0 {
		var files []obj
		for _, f := range m.files {
			files = append(files, s.fileJSON(f, false))
		}
		o["files"] = files
		o["upload"] = m.upload
		o["display_as_bot"] = false
	}
	if containsStr(c.pins, m.ts) {
		o["pinned_to"] = []string{c.id}
	}
	if len(m.reactions) > 0 {
		var rs []obj
		for _, r := range m.reactions {
			rs = append(rs, obj{"name": r.name, "users": r.users, "count": len(r.users)})
		}
		o["reactions"] = rs
	}
	switch {
	case m.threadTS != "":
		o["thread_ts"] = m.threadTS
		if p, ok := c.byTS[m.threadTS]; ok {
			o["parent_user_id"] = p.user
		}
	case len(c.liveReplies(m.ts)) > 0:
		users := replyUsers(c, m.ts)
		o["thread_ts"] = m.ts
		o["reply_count"] = len(c.liveReplies(m.ts))
		o["reply_users"] = users
		o["reply_users_count"] = len(users)
		o["latest_reply"] = latestReply(c, m.ts)
		o["is_locked"] = false
		o["subscribed"] = false
	}
	return o
}

// replyUsers are the distinct authors of a thread's live replies, in the
// order they first replied.
func replyUsers(c *channel, parentTS string) []string {
	var users []string
	for _, r := range c.liveReplies(parentTS) {
		if !containsStr(users, r.user) {
			users = append(users, r.user)
		}
	}
	return users
}

func latestReply(c *channel, parentTS string) string {
	live := c.liveReplies(parentTS)
	if len(live) == 0 {
		return ""
	}
	return live[len(live)-1].ts
}

// fileJSON is a file object. Messages carry it without shares; files.info
// adds the shares that are visible by now.
func (s *Server) fileJSON(f *file, withShares bool) obj {
	base := s.baseURL + "files-pri/" + TeamID + "-" + f.id + "/"
	o := obj{
		"id":                   f.id,
		"created":              f.created.Unix(),
		"timestamp":            f.created.Unix(),
		"name":                 f.name,
		"title":                f.title,
		"mimetype":             f.mimetype,
		"filetype":             f.filetype,
		"pretty_type":          f.filetype,
		"user":                 f.user,
		"user_team":            TeamID,
		"editable":             false,
		"size":                 len(f.content),
		"mode":                 "hosted",
		"is_external":          false,
		"external_type":        "",
		"is_public":            true,
		"public_url_shared":    false,
		"display_as_bot":       false,
		"username":             "",
		"url_private":          base + url.PathEscape(f.name), // Slack escapes the name in its URLs
		"url_private_download": base + "download/" + url.PathEscape(f.name),
		"permalink":            TeamURL + "files/" + f.user + "/" + f.id + "/" + f.name,
		"comments_count":       0,
		"has_rich_preview":     false,
		"file_access":          "visible",
	}
	if withShares {
		public, private := obj{}, obj{}
		var channels, groups []string
		now := time.Now()
		for _, sh := range f.shares {
			if now.Before(sh.visibleAt) {
				continue
			}
			info := obj{
				"reply_users":       []string{},
				"reply_users_count": 0,
				"reply_count":       0,
				"ts":                sh.ts,
				"channel_name":      sh.channel.name,
				"team_id":           TeamID,
				"share_user_id":     f.user,
				"source":            "UNKNOWN",
			}
			if sh.threadTS != "" {
				info["thread_ts"] = sh.threadTS
			}
			if sh.channel.private {
				private[sh.channel.id] = append(asList(private[sh.channel.id]), info)
				groups = append(groups, sh.channel.id)
			} else {
				public[sh.channel.id] = append(asList(public[sh.channel.id]), info)
				channels = append(channels, sh.channel.id)
			}
		}
		shares := obj{}
		if len(public) > 0 {
			shares["public"] = public
		}
		if len(private) > 0 {
			shares["private"] = private
		}
		o["shares"] = shares
		o["channels"] = nonNil(channels)
		o["groups"] = nonNil(groups)
		o["ims"] = []string{}
	}
	return o
}

// userJSON is a user object as users.info returns it.
func userJSON(u *user) obj {
	profile := obj{
		"real_name":               u.realName,
		"real_name_normalized":    u.realName,
		"display_name":            u.displayName,
		"display_name_normalized": u.displayName,
		"team":                    TeamID,
		"avatar_hash":             "",
	}
	if u.bot {
		profile["bot_id"] = BotID
		profile["api_app_id"] = AppID
	}
	return obj{
		"id":                  u.id,
		"team_id":             TeamID,
		"name":                u.name,
		"deleted":             false,
		"color":               "9f69e7",
		"real_name":           u.realName,
		"tz":                  "Europe/Paris",
		"tz_label":            "Central European Time",
		"tz_offset":           3600,
		"profile":             profile,
		"is_admin":            false,
		"is_owner":            false,
		"is_primary_owner":    false,
		"is_restricted":       false,
		"is_ultra_restricted": false,
		"is_bot":              u.bot,
		"is_app_user":         false,
		"updated":             0,
	}
}

func asList(v any) []obj {
	l, _ := v.([]obj)
	return l
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func containsStr(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// raw returns a JSON argument (blocks, attachments) if it is valid JSON.
func raw(s string) (json.RawMessage, bool) {
	if s == "" {
		return nil, true
	}
	if !json.Valid([]byte(s)) {
		return nil, false
	}
	return json.RawMessage(s), true
}
