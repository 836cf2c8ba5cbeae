package slackfake

// What happens in Slack that the app hears about over Socket Mode:
// reactions, message shortcuts, message edits and deletions, and Slack's
// redelivery of envelopes that were not acked.

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
)

// verificationToken is the deprecated token Slack still puts in payloads.
const verificationToken = "fakeVerificationToken"

// eventCallbackLocked wraps an inner event the way the Events API does
// (slackevents.EventsAPICallbackEvent).
func (s *Server) eventCallbackLocked(inner obj) obj {
	s.nextID++
	return obj{
		"token":           verificationToken,
		"team_id":         TeamID,
		"context_team_id": TeamID,
		"api_app_id":      AppID,
		"event":           inner,
		"type":            "event_callback",
		"event_id":        fmt.Sprintf("Ev0FK%07X", s.nextID),
		"event_time":      s.now().Unix(),
		"authorizations": []obj{{
			"enterprise_id":         nil,
			"team_id":               TeamID,
			"user_id":               BotUserID,
			"is_bot":                true,
			"is_enterprise_install": false,
		}},
		"is_ext_shared_channel": false,
		"event_context": "4-" + base64.RawURLEncoding.EncodeToString(
			fmt.Appendf(nil, `{"et":%q,"tid":%q,"aid":%q}`, inner["type"], TeamID, AppID)),
	}
}

// sendEvent wraps an inner event in an events_api envelope and delivers it.
func (s *Server) sendEventLocked(inner obj) *envelope {
	return s.newEnvelopeLocked("events_api", s.eventCallbackLocked(inner), false)
}

// SendEvent sends any Events API inner event (a JSON object with at least
// "type") in an events_api envelope, for events the fake has no helper
// for. It returns the envelope ID.
func (s *Server) SendEvent(event map[string]any) string {
	s.mu.Lock()
	e := s.sendEventLocked(event)
	s.mu.Unlock()
	s.deliver(e)
	return e.id
}

// React is a person adding a reaction to a message: the reaction is stored
// on the message and a reaction_added event is sent. It returns the
// envelope ID.
func (s *Server) React(channelID, ts, userID, name string) string {
	s.mu.Lock()
	c := s.mustChannelLocked(channelID)
	m := s.mustMessageLocked(c, ts)
	added := false
	for i := range m.reactions {
		if m.reactions[i].name == name {
			if !containsStr(m.reactions[i].users, userID) {
				m.reactions[i].users = append(m.reactions[i].users, userID)
			}
			added = true
		}
	}
	if !added {
		m.reactions = append(m.reactions, reaction{name: name, users: []string{userID}})
	}
	e := s.sendEventLocked(obj{
		"type":      "reaction_added",
		"user":      userID,
		"reaction":  name,
		"item_user": m.user,
		"item":      obj{"type": "message", "channel": c.id, "ts": m.ts},
		"event_ts":  s.nextTSLocked(),
	})
	s.mu.Unlock()
	s.deliver(e)
	return e.id
}

// Shortcut is a person running the app's message shortcut callbackID on a
// message: an interactive envelope with a message_action payload
// (slack.InteractionCallback). It returns the envelope ID.
func (s *Server) Shortcut(channelID, ts, userID, callbackID string) string {
	s.mu.Lock()
	c := s.mustChannelLocked(channelID)
	m := s.mustMessageLocked(c, ts)
	name := userID
	if u, ok := s.users[userID]; ok {
		name = u.name
	}
	actionTS := s.nextTSLocked()
	payload := obj{
		"type":        "message_action",
		"token":       verificationToken,
		"action_ts":   actionTS,
		"team":        obj{"id": TeamID, "domain": TeamDomain},
		"user":        obj{"id": userID, "username": name, "name": name, "team_id": TeamID},
		"channel":     obj{"id": c.id, "name": c.name},
		"callback_id": callbackID,
		"trigger_id":  fmt.Sprintf("%d.%d.%032x", s.now().Unix(), 1000+s.nextEnv, s.lastTS),
		"response_url": fmt.Sprintf("https://hooks.slack.com/app/%s/%d/fake%016x",
			TeamID, s.lastTS, s.lastTS),
		"message_ts":            m.ts,
		"message":               s.liveMessageJSON(c, m),
		"is_enterprise_install": false,
		"enterprise":            nil,
	}
	e := s.newEnvelopeLocked("interactive", payload, false)
	s.mu.Unlock()
	s.deliver(e)
	return e.id
}

// liveMessageJSON is the message's JSON as it was before any deletion.
func (s *Server) liveMessageJSON(c *channel, m *msg) obj {
	cp := *m
	cp.deleted = false
	return s.messageJSON(c, &cp)
}

func channelType(c *channel) string {
	if c.private {
		return "group"
	}
	return "channel"
}

// SendMessageChangedEvent sends the message event with subtype
// message_changed for the message's last edit (Edit, chat.update): the
// new message, the previous one, hidden. It returns the envelope ID.
func (s *Server) SendMessageChangedEvent(channelID, ts string) string {
	s.mu.Lock()
	c := s.mustChannelLocked(channelID)
	m := s.mustMessageLocked(c, ts)
	prev := m
	if m.prev != nil {
		prev = m.prev
	}
	eventTS := s.nextTSLocked()
	e := s.sendEventLocked(obj{
		"type":             "message",
		"subtype":          "message_changed",
		"hidden":           true,
		"message":          s.liveMessageJSON(c, m),
		"previous_message": s.liveMessageJSON(c, prev),
		"channel":          c.id,
		"channel_type":     channelType(c),
		"ts":               eventTS,
		"event_ts":         eventTS,
	})
	s.mu.Unlock()
	s.deliver(e)
	return e.id
}

// SendMessageDeletedEvent sends the message event with subtype
// message_deleted for the message (deleted or not): deleted_ts and the
// previous message, hidden. It returns the envelope ID.
func (s *Server) SendMessageDeletedEvent(channelID, ts string) string {
	s.mu.Lock()
	c := s.mustChannelLocked(channelID)
	m := s.mustMessageLocked(c, ts)
	eventTS := s.nextTSLocked()
	e := s.sendEventLocked(obj{
		"type":             "message",
		"subtype":          "message_deleted",
		"hidden":           true,
		"deleted_ts":       m.ts,
		"previous_message": s.liveMessageJSON(c, m),
		"channel":          c.id,
		"channel_type":     channelType(c),
		"ts":               eventTS,
		"event_ts":         eventTS,
	})
	s.mu.Unlock()
	s.deliver(e)
	return e.id
}

// Redeliver sends the envelope again with retry_attempt one higher and
// retry_reason "timeout", as Slack does when an envelope is not acked in
// time.
func (s *Server) Redeliver(envelopeID string) {
	s.mu.Lock()
	e, ok := s.envelopes[envelopeID]
	if !ok {
		s.mu.Unlock()
		panic(fmt.Sprintf("slackfake: no envelope %q", envelopeID))
	}
	e.retryAttempt++
	e.retryReason = "timeout"
	s.mu.Unlock()
	s.deliver(e)
}

// Acked reports whether the app acked the envelope.
func (s *Server) Acked(envelopeID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.envelopes[envelopeID]
	return ok && !e.ackedAt.IsZero()
}

// Acks returns how many times the app acked the envelope (a redelivered
// envelope is acked again).
func (s *Server) Acks(envelopeID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.envelopes[envelopeID]; ok {
		return e.acks
	}
	return 0
}

// AckPayload returns the payload of the app's first ack, if it sent one.
func (s *Server) AckPayload(envelopeID string) json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.envelopes[envelopeID]; ok {
		return e.ackPayload
	}
	return nil
}

// WaitAck waits up to timeout for the app's first ack of the envelope and
// returns the time from the envelope's first write to a socket to that
// ack. Slack expects an ack within 3 seconds.
func (s *Server) WaitAck(envelopeID string, timeout time.Duration) (time.Duration, bool) {
	s.mu.Lock()
	e, ok := s.envelopes[envelopeID]
	s.mu.Unlock()
	if !ok {
		return 0, false
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-e.ackCh:
	case <-t.C:
		return 0, false
	case <-s.done:
		return 0, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return e.ackedAt.Sub(e.sentAt), true
}
