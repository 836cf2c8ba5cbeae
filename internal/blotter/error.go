package blotter

import (
	"errors"
	"fmt"
)

// Error codes. They are few on purpose: a caller branches on the code, a person reads the message.
const (
	ECONFLICT    = "conflict"    // the action conflicts with the current state (e.g. the incident already exists)
	EINTERNAL    = "internal"    // a bug or an unexpected failure; the message is not for users
	EINVALID     = "invalid"     // the input is wrong; the message says how
	ENOTFOUND    = "not_found"   // the named thing does not exist
	EUNAVAILABLE = "unavailable" // a resource (disk, database, display) cannot be used right now
)

// Fields an error can be about, so that each edge can point at its own input: the app focuses
// the field, the CLI names its flag. Messages never name a flag or a command.
const (
	FieldReason         = "reason"          // why a change was made
	FieldWaitsOn        = "waits_on"        // what a blocked task waits on
	FieldActiveIncident = "active_incident" // there is no active incident to act on
	FieldHotkey         = "hotkey"          // a global hotkey combo
	FieldDamaged        = "damaged"         // a row of the record cannot be read: it was altered outside Blotter
)

// Error is an application error whose Message a user may read.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"` // the input it is about, if one
}

// Error implements the error interface.
func (e *Error) Error() string {
	return e.Message
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an *Error about one input field.
func FieldErrorf(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other error,
// and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorField returns the field of the first *Error in err's chain, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// ErrorMessage returns the user-facing message of the first *Error in err's chain, or a generic
// message for internal errors.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
