package blotter

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// idClock guards the last timestamp handed out, so that ids made in the same millisecond by
// this process still sort in the order they were made (RFC 9562, section 6.2, method 3).
var idClock struct {
	sync.Mutex
	last int64 // the last (milliseconds<<12 | sub-millisecond counter) used
}

// NewID returns a new UUIDv7 (RFC 9562): time-ordered, unique across responders' machines and
// so safe to sync. The 12 bits after the millisecond timestamp are a sub-millisecond fraction,
// bumped when needed so that ids from one process are strictly increasing.
func NewID() string {
	now := time.Now()
	ms := now.UnixMilli()
	frac := int64(now.Nanosecond()%1e6) * 4096 / 1e6 // 0..4095
	stamp := ms<<12 | frac

	idClock.Lock()
	if stamp <= idClock.last {
		stamp = idClock.last + 1
	}
	idClock.last = stamp
	idClock.Unlock()

	var b [16]byte
	if _, err := rand.Read(b[8:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	ms, frac = stamp>>12, stamp&0xfff
	b[0], b[1], b[2], b[3], b[4], b[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	b[6] = 0x70 | byte(frac>>8) // version 7
	b[7] = byte(frac)
	b[8] = 0x80 | b[8]&0x3f // variant 10
	return formatUUID(b)
}

func formatUUID(b [16]byte) string {
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// ValidID reports whether s is a UUID in canonical lower-case form, as NewID makes them.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f':
		default:
			return false
		}
	}
	return true
}
