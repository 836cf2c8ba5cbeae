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

// Error is an application error whose Message a user may read.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return e.Message
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
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
