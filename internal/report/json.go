// Package report writes an incident's record out (JSON, Markdown, CSV, a bundle with its
// evidence, Timesketch JSONL, an HTML report), reads a JSON export back in, and checks a
// bundle. The JSON export is the verifiable record: it carries every revision with the exact
// hashed content, so its chain can be checked anywhere, and Blotter can import it elsewhere.
package report

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Export format identifiers.
const (
	FormatName    = "blotter.export"
	FormatVersion = 1
)

// exportHeader is the part of a JSON export before its revisions.
type exportHeader struct {
	Format     string            `json:"format"`
	Version    int               `json:"version"`
	ExportedAt string            `json:"exported_at"`
	ExportedBy string            `json:"exported_by"`
	Incident   *blotter.Incident `json:"incident"`
	Head       exportHead        `json:"head"`
	// DoesNotVerify is what verify found wrong with the record when it was exported: the
	// export is still written (it is what there is), and says so, for its recipient.
	DoesNotVerify string `json:"does_not_verify,omitempty"`
}

// JSONOptions says who exports, when, and what verify found.
type JSONOptions struct {
	By            string
	Now           time.Time
	DoesNotVerify string // "" when the record verified
}

// exportHead is the end of the log when it was exported.
type exportHead struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// WriteJSON writes the incident's record as one JSON object: the header fields, then
// "revisions" (the log, in order) and "entries" (the current state, deleted entries included).
// It streams: memory does not grow with the record.
func WriteJSON(ctx context.Context, out io.Writer, src blotter.RecordReader, incidentID string, opts JSONOptions) error {
	w := bufio.NewWriterSize(out, 1<<16)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	var (
		inEntries bool // the "revisions" list is closed and "entries" open
		first     = true
	)
	item := func(v any) error {
		if !first {
			w.WriteString(",")
		}
		first = false
		return enc.Encode(v)
	}
	openEntries := func() {
		if !inEntries {
			inEntries, first = true, true
			w.WriteString("],\n\"entries\": [\n")
		}
	}
	err := src.ReadRecord(ctx, incidentID, blotter.RecordVisitor{
		Incident: func(inc *blotter.Incident, headSeq int64, headHash string) error {
			h, err := json.Marshal(exportHeader{
				Format: FormatName, Version: FormatVersion, ExportedAt: blotter.FormatTime(opts.Now), ExportedBy: opts.By,
				Incident: inc, Head: exportHead{Seq: headSeq, Hash: headHash}, DoesNotVerify: opts.DoesNotVerify,
			})
			if err != nil {
				return err
			}
			w.Write(h[:len(h)-1]) // the header object, left open for the lists
			_, err = w.WriteString(",\n\"revisions\": [\n")
			return err
		},
		Revision: func(r *blotter.Revision) error { return item(r) },
		Entry: func(e *blotter.Entry) error {
			openEntries()
			return item(e)
		},
	})
	if err != nil {
		return err
	}
	openEntries()
	w.WriteString("]}\n")
	return w.Flush()
}

// Reader reads the revisions of a JSON export one at a time, so that an export of a million
// entries imports in constant memory.
type Reader struct {
	dec      *json.Decoder
	Header   exportHeader
	done     bool
	count    int64
	lastHash string
	in       *budgetReader
	after    afterState // reading past the revisions (bundle verification)
}

// MaxRevisionJSON bounds the JSON of one revision in an export. The largest a Blotter writes is
// under 4 MiB (256 KiB of text escaped twice, as the entry and inside the content); a decoder
// holds a value whole, several times over, so a larger one is refused before it is read whole
// rather than allowed to take the machine's memory.
const MaxRevisionJSON = 8 << 20

// NewReader reads the export's header fields up to its revisions. Returns EINVALID for a file
// that is not a Blotter JSON export.
func NewReader(r io.Reader) (*Reader, error) {
	in := &budgetReader{r: bufio.NewReaderSize(r, 1<<16), limit: MaxRevisionJSON}
	rd := &Reader{dec: json.NewDecoder(in), in: in}
	notExport := func(why string) error {
		return blotter.Errorf(blotter.EINVALID, "not a Blotter JSON export (%s)", why)
	}
	if tok, err := rd.dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, notExport("it does not start with a JSON object")
	}
	for {
		tok, err := rd.dec.Token()
		if err != nil {
			return nil, notExport(err.Error())
		}
		key, ok := tok.(string)
		if !ok {
			return nil, notExport("it has no revisions")
		}
		var target any
		switch key {
		case "format":
			target = &rd.Header.Format
		case "version":
			target = &rd.Header.Version
		case "exported_at":
			target = &rd.Header.ExportedAt
		case "exported_by":
			target = &rd.Header.ExportedBy
		case "incident":
			target = &rd.Header.Incident
		case "head":
			target = &rd.Header.Head
		case "does_not_verify":
			target = &rd.Header.DoesNotVerify
		case "revisions":
			if rd.Header.Format != FormatName {
				return nil, notExport(fmt.Sprintf("format %q", rd.Header.Format))
			}
			if rd.Header.Version > FormatVersion {
				return nil, blotter.Errorf(blotter.EINVALID, "the export is format version %d; this Blotter reads up to %d: upgrade it", rd.Header.Version, FormatVersion)
			}
			if tok, err := rd.dec.Token(); err != nil || tok != json.Delim('[') {
				return nil, notExport("revisions is not a list")
			}
			return rd, nil
		default:
			var skip json.RawMessage
			target = &skip
		}
		if err := rd.dec.Decode(target); err != nil {
			return nil, notExport(fmt.Sprintf("field %s: %v", key, err))
		}
	}
}

// Next returns the next revision, or io.EOF after the last. A list that is cut short, or that
// does not end at the head the header names, is an EINVALID error: a prefix of a chain would
// verify, so the end must be checked.
func (rd *Reader) Next() (*blotter.Revision, error) {
	if rd.done {
		return nil, io.EOF
	}
	if !rd.dec.More() {
		rd.done = true
		if tok, err := rd.dec.Token(); err != nil || tok != json.Delim(']') {
			return nil, blotter.Errorf(blotter.EINVALID, "the export is cut short after %d revisions", rd.count)
		}
		if rd.count != rd.Header.Head.Seq || rd.lastHash != rd.Header.Head.Hash {
			return nil, blotter.Errorf(blotter.EINVALID, "the export holds %d revisions ending in %.12s, but its header names %d ending in %.12s",
				rd.count, rd.lastHash, rd.Header.Head.Seq, rd.Header.Head.Hash)
		}
		return nil, io.EOF
	}
	var r blotter.Revision
	rd.in.startValue(rd.dec.InputOffset())
	if err := rd.dec.Decode(&r); err != nil {
		if errors.Is(err, errOverBudget) {
			return nil, blotter.Errorf(blotter.EINVALID, "revision %d of the export is over %d MiB of JSON, more than Blotter ever writes: the export is not one, or is damaged", rd.count+1, MaxRevisionJSON>>20)
		}
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, blotter.Errorf(blotter.EINVALID, "the export is damaged or cut short near byte %d: %v", rd.dec.InputOffset(), err)
		}
		return nil, blotter.Errorf(blotter.EINVALID, "a revision in the export cannot be read: %v", err)
	}
	rd.count, rd.lastHash = rd.count+1, r.Hash
	return &r, nil
}

// afterState is where nextEntry is in the part of an export after its revisions.
type afterState struct {
	inEntries, sawEntries, ended bool
}

// nextEntry returns the next entry of the export's "entries" list, once Next has returned
// io.EOF, or io.EOF after the export's object has ended. Import never reads the list (it
// rebuilds the entries from the log); a bundle's verification does, so that the list people
// and jq read cannot say something the log does not. Each entry is held to the revision
// budget, and a second list is refused.
func (rd *Reader) nextEntry() (*blotter.Entry, error) {
	if !rd.done {
		return nil, errors.New("report: nextEntry before the revisions were read")
	}
	damaged := func(err error) error {
		return blotter.Errorf(blotter.EINVALID, "the export is damaged or cut short near byte %d: %v", rd.dec.InputOffset(), err)
	}
	for !rd.after.ended {
		if rd.after.inEntries {
			if !rd.dec.More() {
				if _, err := rd.dec.Token(); err != nil { // the list's "]"
					return nil, damaged(err)
				}
				rd.after.inEntries = false
				continue
			}
			var e blotter.Entry
			rd.in.startValue(rd.dec.InputOffset())
			if err := rd.dec.Decode(&e); err != nil {
				if errors.Is(err, errOverBudget) {
					return nil, blotter.Errorf(blotter.EINVALID, "an entry of the export is over %d MiB of JSON, more than Blotter ever writes", MaxRevisionJSON>>20)
				}
				return nil, damaged(err)
			}
			return &e, nil
		}
		tok, err := rd.dec.Token()
		if err != nil {
			return nil, damaged(err)
		}
		if tok == json.Delim('}') {
			rd.after.ended = true
			break
		}
		key, _ := tok.(string)
		if key == "entries" {
			if rd.after.sawEntries {
				return nil, blotter.Errorf(blotter.EINVALID, "the export has two entries lists")
			}
			if tok, err := rd.dec.Token(); err != nil || tok != json.Delim('[') {
				return nil, blotter.Errorf(blotter.EINVALID, "the export's entries is not a list")
			}
			rd.after.inEntries, rd.after.sawEntries = true, true
			continue
		}
		var skip json.RawMessage // a field a later version may add
		rd.in.startValue(rd.dec.InputOffset())
		if err := rd.dec.Decode(&skip); err != nil {
			return nil, damaged(err)
		}
	}
	return nil, io.EOF
}

// onlySpaceLeft reports whether nothing but white space follows the export's object: a
// bundle's record.json must be the export and nothing else. It reads to the end.
func (rd *Reader) onlySpaceLeft() (bool, error) {
	buf := make([]byte, 32<<10)
	clean := true
	for _, r := range []io.Reader{rd.dec.Buffered(), rd.in.r} {
		for {
			n, err := r.Read(buf)
			for _, c := range buf[:n] {
				if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
					clean = false
				}
			}
			if errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				return false, err
			}
		}
	}
	return clean, nil
}

var errOverBudget = errors.New("value over budget")

// budgetReader is what the JSON decoder reads through: it counts the bytes read since the
// current value began and fails past limit, so that no single value is read whole beyond it.
type budgetReader struct {
	r     io.Reader
	limit int64
	total int64 // bytes handed to the decoder
	since int64 // total when the current value began
}

// startValue marks the start of a value at the decoder's offset (what it has consumed); what
// it read ahead of that counts toward the value.
func (b *budgetReader) startValue(offset int64) { b.since = offset }

func (b *budgetReader) Read(p []byte) (int, error) {
	left := b.limit - (b.total - b.since)
	if left < 0 {
		return 0, errOverBudget
	}
	if int64(len(p)) > left+1 {
		p = p[:left+1] // the decoder grows its reads; none may carry it far past the limit
	}
	n, err := b.r.Read(p)
	b.total += int64(n)
	return n, err
}
