//go:build cgo

package sqlite

import (
	"errors"

	"github.com/mattn/go-sqlite3"
)

// sqliteCode names SQLite's primary result code in err, or "" when err is not SQLite's.
func sqliteCode(err error) resultCode {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return ""
	}
	return map[sqlite3.ErrNo]resultCode{
		sqlite3.ErrFull: codeFull, sqlite3.ErrReadonly: codeReadonly, sqlite3.ErrNotADB: codeNotADB,
		sqlite3.ErrCorrupt: codeCorrupt, sqlite3.ErrCantOpen: codeCantOpen, sqlite3.ErrPerm: codePerm,
		sqlite3.ErrBusy: codeBusy, sqlite3.ErrLocked: codeLocked, sqlite3.ErrIoErr: codeIOErr,
	}[se.Code]
}
