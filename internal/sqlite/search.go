package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode"

	"github.com/blotterapp/blotter/internal/blotter"
)

// DefaultSearchLimit is the page size of a search that names none.
const DefaultSearchLimit = 50

// Search returns the incident's visible entries whose text, tags or evidence names match query,
// newest recorded first, a page at a time.
//
// The query is a list of words, each matched as the start of a word ("login" finds "logins";
// a trailing '*' says the same), and "quoted phrases", matched exactly; all must match. Nothing in it is FTS5 syntax, so no input can be a syntax
// error. Results come in reverse rowid order, which FTS5 walks without sorting: that keeps a
// query matching most of a million entries as fast as a rare one.
// Returns EINVALID for a query with nothing to search for, ENOTFOUND for an unknown Before.
func (db *DB) Search(ctx context.Context, incidentID, query string, opts blotter.SearchOptions) ([]*blotter.Entry, error) {
	match := ftsQuery(query)
	if match == "" {
		return nil, blotter.Errorf(blotter.EINVALID, "the search %q has no words to look for", query)
	}
	limit := opts.Limit
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	before := int64(1) << 62
	if opts.Before != "" {
		if err := db.read.QueryRowContext(ctx, `SELECT seq FROM entries WHERE id = ?`, opts.Before).Scan(&before); errors.Is(err, sql.ErrNoRows) {
			return nil, blotter.Errorf(blotter.ENOTFOUND, "no entry %q", opts.Before)
		} else if err != nil {
			return nil, err
		}
	}
	return db.queryEntries(ctx, `SELECT `+prefixed("e.", entryColumns)+`
		FROM entry_fts JOIN entries e ON e.seq = entry_fts.rowid
		WHERE entry_fts MATCH ? AND entry_fts.rowid < ? AND e.incident_id = ? AND e.deleted = 0
		ORDER BY entry_fts.rowid DESC LIMIT ?`, match, before, incidentID, limit)
}

// MaxSearchCount bounds how far SearchCount counts: past it, "more than" says enough and a
// count over a million matches costs what a search page does not.
const MaxSearchCount = 10000

// SearchCount returns how many of the incident's visible entries match query (as Search
// reads it), up to MaxSearchCount; more is reported as MaxSearchCount+1.
func (db *DB) SearchCount(ctx context.Context, incidentID, query string) (int, error) {
	match := ftsQuery(query)
	if match == "" {
		return 0, blotter.Errorf(blotter.EINVALID, "the search %q has no words to look for", query)
	}
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1
		FROM entry_fts JOIN entries e ON e.seq = entry_fts.rowid
		WHERE entry_fts MATCH ? AND e.incident_id = ? AND e.deleted = 0 LIMIT ?)`, match, incidentID, MaxSearchCount+1).Scan(&n)
	return n, err
}

// ftsQuery turns what a person typed into an FTS5 query: each word or "phrase" becomes a quoted
// FTS5 string (so punctuation, AND, NEAR and column names mean nothing special), a word is a
// prefix, a phrase is exact, and the terms are ANDed.
func ftsQuery(q string) string {
	var terms []string
	add := func(term string, prefix bool) {
		if strings.IndexFunc(term, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) < 0 {
			return // nothing the tokenizer would index
		}
		t := `"` + strings.ReplaceAll(term, `"`, `""`) + `"`
		if prefix {
			t += "*"
		}
		terms = append(terms, t)
	}
	for q = strings.TrimSpace(q); q != ""; q = strings.TrimSpace(q) {
		if q[0] == '"' {
			end := strings.IndexByte(q[1:], '"')
			if end < 0 {
				end = len(q) - 1
			}
			add(q[1:1+end], false)
			q = q[min(len(q), end+2):]
			continue
		}
		end := strings.IndexFunc(q, unicode.IsSpace)
		if end < 0 {
			end = len(q)
		}
		word := q[:end]
		q = q[end:]
		// Every word is a prefix: a responder typing "login" means "logins" too, and a word
		// still being typed should already find what it will be.
		add(strings.TrimRight(word, "*"), true)
	}
	return strings.Join(terms, " ")
}

func prefixed(p, columns string) string {
	cols := strings.Split(columns, ", ")
	for i := range cols {
		cols[i] = p + cols[i]
	}
	return strings.Join(cols, ", ")
}

// Observables returns the observables found in the incident's visible entries, by kind and
// value, each with the ids of the entries that mention it, oldest first.
func (db *DB) Observables(ctx context.Context, incidentID string) ([]*blotter.ObservableUse, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT o.kind, o.value, e.id FROM observables o
		JOIN entries e ON e.seq = o.entry_seq
		WHERE o.incident_id = ? ORDER BY o.kind, o.value, e.occurred_at, e.seq`, incidentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []*blotter.ObservableUse{}
	for rows.Next() {
		var kind, value, entryID string
		if err := rows.Scan(&kind, &value, &entryID); err != nil {
			return nil, err
		}
		if n := len(list); n == 0 || list[n-1].Kind != kind || list[n-1].Value != value {
			list = append(list, &blotter.ObservableUse{Observable: blotter.Observable{Kind: kind, Value: value}})
		}
		last := list[len(list)-1]
		last.EntryIDs = append(last.EntryIDs, entryID)
	}
	return list, rows.Err()
}
