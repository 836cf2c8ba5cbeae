package slackfake

// The workspace model (users, channels, messages, files), the snapshots the
// test reads, and the actions of people who use Slack directly rather than
// through the bot.

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

type user struct {
	id, name, realName, displayName string
	bot                             bool
}

type channel struct {
	id, name string
	private  bool
	archived bool
	creator  string
	created  time.Time
	members  []string // user IDs, in join order
	pins     []string // message ts, in pin order
	msgs     []*msg   // every message, deleted ones too, in ts order
	byTS     map[string]*msg
	replies  map[string][]*msg // parent ts -> replies in ts order, deleted ones too
}

func (c *channel) isMember(userID string) bool { return slices.Contains(c.members, userID) }

func (c *channel) join(userID string) {
	if !c.isMember(userID) {
		c.members = append(c.members, userID)
	}
}

// liveReplies are the thread's replies that were not deleted.
func (c *channel) liveReplies(parentTS string) []*msg {
	var out []*msg
	for _, m := range c.replies[parentTS] {
		if !m.deleted {
			out = append(out, m)
		}
	}
	return out
}

type reaction struct {
	name  string
	users []string
}

type msg struct {
	ts          string
	micros      int64
	threadTS    string // the parent's ts for a reply, "" for a top-level message
	user        string
	botID       string
	text        string
	blocks      json.RawMessage
	attachments json.RawMessage
	metadata    json.RawMessage // message metadata ({event_type, event_payload}), as posted
	edited      *Edited
	prev        *msg // the message before its last edit, for message_changed
	files       []*file
	upload      bool
	unfurlLinks *bool
	unfurlMedia *bool
	reactions   []reaction
	deleted     bool
}

// Edited is the edited field of a message: who changed it and when.
type Edited struct {
	User string
	TS   string
}

// Message is a snapshot of a stored message.
type Message struct {
	Channel string
	TS      string
	// ThreadTS is the parent's ts for a reply, the message's own ts for a
	// thread parent that has replies, and "" otherwise, as Slack sets it.
	ThreadTS string
	User     string
	BotID    string // set when the bot posted it
	Text     string
	Blocks   json.RawMessage
	Edited   *Edited
	Files    []File
	// UnfurlLinks and UnfurlMedia are the flags chat.postMessage got, nil
	// when it was not sent.
	UnfurlLinks *bool
	UnfurlMedia *bool
	Reactions   map[string][]string // reaction name -> user IDs
	Deleted     bool
}

// File is a snapshot of an uploaded file.
type File struct {
	ID       string
	Name     string
	Title    string
	Mimetype string
	User     string
	Content  []byte
}

// ChannelState is a snapshot of a channel.
type ChannelState struct {
	ID        string
	Name      string
	Private   bool
	Creator   string
	Members   []string
	BotMember bool
	Pins      []string // pinned message ts, in pin order
	// Messages are every message, top-level and replies, in ts order,
	// including deleted ones (Deleted set); see Server.Messages for the
	// live ones only.
	Messages []Message
}

// AddUser adds a person: users.info answers name, real_name (both name)
// and profile.display_name.
func (s *Server) AddUser(id, name, displayName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id] = &user{id: id, name: name, realName: name, displayName: displayName}
}

// AddChannel adds an existing public channel and returns its ID. The bot
// is not a member until conversations.join.
func (s *Server) AddChannel(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addChannelLocked(name, false, "USLACKBOT").id
}

func (s *Server) addChannelLocked(name string, private bool, creator string) *channel {
	c := &channel{
		id:      s.newIDLocked("C"),
		name:    name,
		private: private,
		creator: creator,
		created: s.now(),
		byTS:    map[string]*msg{},
		replies: map[string][]*msg{},
	}
	if creator != "USLACKBOT" {
		c.join(creator)
	}
	s.channels[c.id] = c
	return c
}

// Channel returns a snapshot of the channel.
func (s *Server) Channel(id string) (ChannelState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.channels[id]
	if !ok {
		return ChannelState{}, false
	}
	st := ChannelState{
		ID:        c.id,
		Name:      c.name,
		Private:   c.private,
		Creator:   c.creator,
		Members:   slices.Clone(c.members),
		BotMember: c.isMember(BotUserID),
		Pins:      slices.Clone(c.pins),
	}
	for _, m := range c.msgs {
		st.Messages = append(st.Messages, snapshot(c, m))
	}
	return st, true
}

// Messages returns the channel's live messages, top-level and replies, in
// ts order.
func (s *Server) Messages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.channels[channelID]
	if !ok {
		return nil
	}
	var out []Message
	for _, m := range c.msgs {
		if !m.deleted {
			out = append(out, snapshot(c, m))
		}
	}
	return out
}

func snapshot(c *channel, m *msg) Message {
	out := Message{
		Channel:     c.id,
		TS:          m.ts,
		ThreadTS:    m.threadTS,
		User:        m.user,
		BotID:       m.botID,
		Text:        m.text,
		Blocks:      slices.Clone(m.blocks),
		UnfurlLinks: m.unfurlLinks,
		UnfurlMedia: m.unfurlMedia,
		Deleted:     m.deleted,
	}
	if m.threadTS == "" && len(c.liveReplies(m.ts)) > 0 {
		out.ThreadTS = m.ts
	}
	if m.edited != nil {
		e := *m.edited
		out.Edited = &e
	}
	for _, f := range m.files {
		out.Files = append(out.Files, File{ID: f.id, Name: f.name, Title: f.title,
			Mimetype: f.mimetype, User: f.user, Content: slices.Clone(f.content)})
	}
	if len(m.reactions) > 0 {
		out.Reactions = map[string][]string{}
		for _, r := range m.reactions {
			out.Reactions[r.name] = slices.Clone(r.users)
		}
	}
	return out
}

// mustChannel finds a channel for a test helper; a wrong ID is a bug in
// the test.
func (s *Server) mustChannelLocked(id string) *channel {
	c, ok := s.channels[id]
	if !ok {
		panic(fmt.Sprintf("slackfake: no channel %q", id))
	}
	return c
}

func (s *Server) mustMessageLocked(c *channel, ts string) *msg {
	m, ok := c.byTS[ts]
	if !ok {
		panic(fmt.Sprintf("slackfake: no message %s in channel %s", ts, c.id))
	}
	return m
}

// appendLocked stores a new message in the channel.
func (s *Server) appendLocked(c *channel, m *msg) {
	m.ts = s.nextTSLocked()
	m.micros, _ = parseTS(m.ts)
	c.msgs = append(c.msgs, m)
	c.byTS[m.ts] = m
	if m.threadTS != "" {
		c.replies[m.threadTS] = append(c.replies[m.threadTS], m)
	}
}

// Post is a person posting a top-level message; it returns its ts.
func (s *Server) Post(channelID, userID, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.mustChannelLocked(channelID)
	c.join(userID)
	m := &msg{user: userID, text: text}
	s.appendLocked(c, m)
	return m.ts
}

// Reply is a person replying in the thread of threadTS; it returns the
// reply's ts.
func (s *Server) Reply(channelID, threadTS, userID, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.mustChannelLocked(channelID)
	parent := s.mustMessageLocked(c, threadTS)
	if parent.threadTS != "" {
		threadTS = parent.threadTS
	}
	c.join(userID)
	m := &msg{user: userID, text: text, threadTS: threadTS}
	s.appendLocked(c, m)
	return m.ts
}

// PostFile is a person posting a message with a file attached (the file is
// in the message's files[], its url_private_download served by this server
// to the bot token). It returns the message's ts.
func (s *Server) PostFile(channelID, userID, text, filename string, content []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.mustChannelLocked(channelID)
	c.join(userID)
	f := s.newFileLocked(filename, filename, userID)
	f.content = slices.Clone(content)
	f.uploaded, f.completed = true, true
	m := &msg{user: userID, text: text, files: []*file{f}, upload: true}
	s.appendLocked(c, m)
	// A person's upload is shared by the time the message exists.
	f.shares = append(f.shares, share{channel: c, ts: m.ts, visibleAt: time.Time{}})
	return m.ts
}

// Edit is a person (the message's author) editing a message: the text
// changes and edited{user,ts} is set.
func (s *Server) Edit(channelID, ts, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.mustChannelLocked(channelID)
	m := s.mustMessageLocked(c, ts)
	s.editLocked(m, m.user, text, nil)
}

func (s *Server) editLocked(m *msg, by, text string, blocks json.RawMessage) {
	prev := *m
	prev.prev = nil
	m.prev = &prev
	m.text = text
	m.blocks = blocks
	m.edited = &Edited{User: by, TS: s.nextTSLocked()}
}

// Delete is a person deleting a message.
func (s *Server) Delete(channelID, ts string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.mustChannelLocked(channelID)
	s.deleteLocked(c, s.mustMessageLocked(c, ts))
}

// deleteLocked marks a message deleted. It stays stored for
// message_deleted's previous_message and, if it is a thread parent with
// live replies, for the tombstone Slack keeps in its place.
func (s *Server) deleteLocked(c *channel, m *msg) {
	m.deleted = true
	if i := slices.Index(c.pins, m.ts); i >= 0 {
		c.pins = slices.Delete(c.pins, i, i+1)
	}
}
