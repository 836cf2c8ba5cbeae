// Package sqlite is Blotter's store: one SQLite file in WAL mode holding incidents, entries,
// their hash-chained revision log, the full-text index and the observables index.
//
// Every write is one IMMEDIATE transaction that carries the entry, its revision and hash, its
// tags, observables and full-text row together, so a crash leaves all of them or none. Writers
// in several processes (the app and the CLI) take turns through SQLite's lock and busy timeout.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	_ "github.com/mattn/go-sqlite3" // the "sqlite3" driver

	"github.com/blotterapp/blotter/internal/blotter"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// busyTimeout is how long a write waits for another process's write to finish.
const busyTimeout = 10 * time.Second

// DB is an open Blotter database.
type DB struct {
	path    string
	write   *sql.DB   // every transaction IMMEDIATE, so writers in other processes queue instead of deadlocking
	conn    *sql.Conn // the one write connection, kept so that its prepared statements stay valid
	writeMu sync.Mutex
	read    *sql.DB // several connections for readers, which WAL lets run beside a writer
	// readOnly, when set, says why the database was opened for reading only (a full disk);
	// every write is refused with it.
	readOnly string

	// Now is the clock; tests replace it.
	Now blotter.Clock
	// Extract finds observables in entry text; nil extracts none.
	Extract blotter.ObservableExtractor
	// FindSecrets marks credentials in entry text as it is written; nil marks none.
	FindSecrets blotter.SecretFinder

	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt // prepared on the write connection, by query
}

// prepared returns the write statement for query, preparing it on the write connection on
// first use.
func (db *DB) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	db.stmtMu.Lock()
	defer db.stmtMu.Unlock()
	if stmt, ok := db.stmts[query]; ok {
		return stmt, nil
	}
	stmt, err := db.conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	db.stmts[query] = stmt
	return stmt, nil
}

// Open opens (creating if needed) the database at path and migrates it to this build's schema.
// A database written by a newer Blotter is refused rather than touched.
func Open(ctx context.Context, path string) (*DB, error) {
	db := &DB{path: path, Now: time.Now, stmts: map[string]*sql.Stmt{}}
	params := url.Values{}
	params.Set("_busy_timeout", fmt.Sprint(busyTimeout.Milliseconds()))
	params.Set("_foreign_keys", "on")
	dsn := "file:" + path + "?" + params.Encode()

	var err error
	// _synchronous=FULL: an acknowledged write survives power loss, not only a crash.
	// A larger cache keeps a bulk import's index pages in memory.
	if db.write, err = sql.Open("sqlite3", dsn+"&_synchronous=FULL&_txlock=immediate&_cache_size=-65536"); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.write.SetMaxOpenConns(1)
	if db.conn, err = db.write.Conn(ctx); err != nil {
		db.write.Close()
		return nil, describeOpenError(path, err)
	}
	// The page size applies to a new database only (revision rows are about 1 KiB: larger pages
	// waste less of each page). WAL lets the app and the CLI read while the other writes; a
	// checkpoint every 10,000 pages instead of 1,000 keeps checkpoints off most note commits.
	for _, pragma := range []string{`PRAGMA page_size = 8192`, `PRAGMA journal_mode = WAL`, `PRAGMA wal_autocheckpoint = 10000`} {
		if _, err := db.conn.ExecContext(ctx, pragma); err != nil {
			db.Close()
			return nil, describeOpenError(path, err)
		}
	}
	if db.read, err = sql.Open("sqlite3", dsn+"&mode=ro"); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.read.SetMaxOpenConns(4)

	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// OpenReadOnly opens the database for reading only: no write connection, no pragma, no
// migration. It is how the record stays readable and exportable on a full disk, where opening
// it for writing fails (a WAL database needs its -shm index, which cannot be created then).
// why says why, and every write is refused with it. The schema must be this build's.
func OpenReadOnly(ctx context.Context, path, why string) (*DB, error) {
	db, err := openReadOnly(ctx, path, why, false)
	if err != nil && WhyNotWritable(err) != "" && walIsEmpty(path) {
		// Even a reader needs the -shm index it cannot create. With nothing in the WAL the
		// database file alone is the whole record, and SQLite can read it as immutable: no
		// index, no locks. (With commits still in the WAL, it would miss them: not done.)
		db, err = openReadOnly(ctx, path, why, true)
	}
	return db, err
}

func openReadOnly(ctx context.Context, path, why string, immutable bool) (*DB, error) {
	db := &DB{path: path, Now: time.Now, stmts: map[string]*sql.Stmt{}, readOnly: why}
	params := url.Values{}
	params.Set("_busy_timeout", fmt.Sprint(busyTimeout.Milliseconds()))
	params.Set("mode", "ro")
	if immutable {
		params.Set("immutable", "1")
	}
	var err error
	if db.read, err = sql.Open("sqlite3", "file:"+path+"?"+params.Encode()); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.read.SetMaxOpenConns(4)
	var version int
	if err := db.read.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		db.Close()
		return nil, describeOpenError(path, err)
	}
	if version != SchemaVersion() {
		db.Close()
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "%s cannot be opened for reading only (%s): its schema %d must first be brought to %d, which needs writing", path, why, version, SchemaVersion())
	}
	return db, nil
}

// walIsEmpty reports whether the database's write-ahead log is absent or holds nothing.
func walIsEmpty(path string) bool {
	fi, err := os.Stat(path + "-wal")
	return os.IsNotExist(err) || (err == nil && fi.Size() == 0)
}

// ReadOnly returns why the database is open for reading only, or "" when it can be written.
func (db *DB) ReadOnly() string { return db.readOnly }

// resultCode is one of SQLite's primary result codes that Blotter tells a person about.
type resultCode string

const (
	codeFull     resultCode = "full"
	codeReadonly resultCode = "readonly"
	codeNotADB   resultCode = "notadb"
	codeCorrupt  resultCode = "corrupt"
	codeCantOpen resultCode = "cantopen"
	codePerm     resultCode = "perm"
	codeBusy     resultCode = "busy"
	codeLocked   resultCode = "locked"
	codeIOErr    resultCode = "ioerr"
)

// IsDiskFull reports whether err says that the disk (or the user's quota) is full.
func IsDiskFull(err error) bool {
	if sqliteCode(err) == codeFull {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "no space left on device") || strings.Contains(msg, "disk is full") || strings.Contains(msg, "quota exceeded")
}

// WhyNotWritable says why opening the database for writing failed when it can still be read:
// "the disk is full" or "the database or its disk is read-only"; "" for any other failure.
func WhyNotWritable(err error) string {
	if IsDiskFull(err) {
		return "the disk is full"
	}
	msg := err.Error()
	if sqliteCode(err) == codeReadonly || strings.Contains(msg, "read-only file system") ||
		strings.Contains(msg, "readonly database") {
		return "the database or its disk is read-only"
	}
	// A WAL database whose folder cannot be written cannot create its -wal and -shm files:
	// SQLite says only that it is "unable to open database file".
	if strings.Contains(msg, "unable to open database file") {
		return "the database's folder cannot be written"
	}
	return ""
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// Close closes the database.
func (db *DB) Close() error {
	var errs []error
	for _, stmt := range db.stmts {
		errs = append(errs, stmt.Close())
	}
	if db.conn != nil {
		errs = append(errs, db.conn.Close())
	}
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil {
		errs = append(errs, db.write.Close())
	}
	return errors.Join(errs...)
}

// SchemaVersion returns the number of migrations this build knows.
func SchemaVersion() int {
	names, _ := migrationNames()
	return len(names)
}

func migrationNames() ([]string, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	sort.Strings(names)
	return names, err
}

// migrate applies each migration the database lacks, each in its own transaction, and records
// the schema version in PRAGMA user_version.
func (db *DB) migrate(ctx context.Context) error {
	names, err := migrationNames()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var version int
	if err := db.conn.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return describeOpenError(db.path, err)
	}
	if version > len(names) {
		return blotter.Errorf(blotter.EINVALID,
			"%s was written by a newer Blotter (schema %d; this build knows up to %d): upgrade Blotter to open it",
			db.path, version, len(names))
	}
	for i := version; i < len(names); i++ {
		body, err := migrationFS.ReadFile(names[i])
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if err := db.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", names[i], err)
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, i+1))
			return err
		}); err != nil {
			return describeOpenError(db.path, err)
		}
	}
	return nil
}

// describeOpenError turns SQLite's view of a file that is not a usable database into a message
// a person can act on.
func describeOpenError(path string, err error) error {
	if strings.Contains(err.Error(), "no such module: fts5") {
		return blotter.Errorf(blotter.EINTERNAL, "this build of Blotter lacks SQLite's FTS5: build it with -tags sqlite_fts5")
	}
	switch sqliteCode(err) {
	case codeNotADB, codeCorrupt:
		return blotter.Errorf(blotter.EINVALID, "%s is not a Blotter database, or it is damaged", path)
	case codeCantOpen, codePerm, codeReadonly:
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot open %s: %v", path, err)
	}
	return storeError(err)
}

// storeError gives the failures a person can do something about (a full disk, a database held
// by another process for too long) a code and a plain message.
func storeError(err error) error {
	switch sqliteCode(err) {
	case codeFull:
		return blotter.Errorf(blotter.EUNAVAILABLE, "the disk is full: nothing was written (%v)", err)
	case codeBusy, codeLocked:
		return blotter.Errorf(blotter.EUNAVAILABLE, "the database stayed busy for over %s: try again", busyTimeout)
	case codeIOErr:
		return blotter.Errorf(blotter.EUNAVAILABLE, "the database could not be written: %v", err)
	}
	return err
}

// inTx runs fn in one write transaction and commits it, or rolls it back if fn fails.
// Transactions of this process take turns on the one write connection.
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if db.readOnly != "" {
		return blotter.Errorf(blotter.EUNAVAILABLE, "nothing was written: the record is open for reading only (%s)", db.readOnly)
	}
	db.writeMu.Lock()
	defer db.writeMu.Unlock()
	tx, err := db.conn.BeginTx(ctx, nil)
	if err != nil {
		return storeError(err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return storeError(err)
	}
	if err := tx.Commit(); err != nil {
		return storeError(err)
	}
	return nil
}

// Setting returns the value stored under key, or "" if there is none.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.read.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetSetting stores value under key.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		w := db.newWriter(ctx, tx)
		defer w.close()
		return w.putSetting(key, value)
	})
}

// putSetting stores value under key inside the writer's transaction.
func (w *writer) putSetting(key, value string) error {
	_, err := w.exec(`INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

func (db *DB) now() time.Time { return db.Now().UTC() }

func nanos(t time.Time) int64 { return t.UnixNano() }

func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }
