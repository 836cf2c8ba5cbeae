package report

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

// A bundle is one .tar.gz holding an incident's record and its evidence, checkable anywhere:
//
//	record.json          the JSON export (WriteJSON), exactly as `export --format json` writes it
//	evidence/<sha256>    each evidence file the record names that the exporting machine holds
//	manifest.json        every member above with its size and SHA-256, the evidence that was
//	                     not held ("missing"), and the record's head (seq, hash); always last
//
// Members come in that order: record.json first, so that a verifier knows which evidence may
// follow and how large each file is before reading it; the manifest last, because its digests
// are computed while the members are written (one pass over a multi-GiB vault).
const (
	BundleFormat  = "blotter.bundle"
	BundleVersion = 1

	bundleRecord   = "record.json"
	bundleManifest = "manifest.json"
	bundleEvidence = "evidence/"
)

// Bounds on what a verifier reads from a bundle. Nothing is extracted, so a bundle cannot fill
// the disk; these keep one from taking the memory (the manifest is read whole) or from
// claiming sizes no export has. Evidence members are bounded more tightly still: each must be
// exactly the size the record states.
const (
	MaxBundleManifest = 64 << 20 // about 400,000 evidence files
	MaxBundleRecord   = 64 << 30 // a JSON export of millions of entries is a few GiB
)

// EvidenceOpener opens the evidence file with the given digest and returns its size. It
// returns an ENOTFOUND error for a file this machine does not hold. Exports read evidence
// through it, so that the report package never sees the database or the vault's layout.
type EvidenceOpener func(sha string) (io.ReadCloser, int64, error)

// BundleOptions says how a bundle is written.
type BundleOptions struct {
	JSON JSONOptions // who exports, when, and what verify found: record.json is WriteJSON's
	// SpoolDir is where record.json is written before it goes into the archive: a tar member
	// states its size before its bytes, and reading the record twice could see two
	// snapshots. The caller picks a folder outside the data dir ("" is the system's).
	SpoolDir string
}

// BundleResult says what a written bundle holds.
type BundleResult struct {
	HeadSeq  int64
	Head     string
	Evidence int                // evidence files included
	Missing  []blotter.Evidence // named by the record, not held here
	Altered  []string           // held, but not hashing to their name (included as they are)
}

// bundleManifestDoc is manifest.json.
type bundleManifestDoc struct {
	Format        string             `json:"format"`
	Version       int                `json:"version"`
	ExportedAt    string             `json:"exported_at"`
	ExportedBy    string             `json:"exported_by"`
	Incident      manifestIncident   `json:"incident"`
	Head          exportHead         `json:"head"`
	Members       []bundleMember     `json:"members"`
	Missing       []blotter.Evidence `json:"missing"`
	DoesNotVerify string             `json:"does_not_verify,omitempty"`
}

type manifestIncident struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type bundleMember struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// WriteBundle writes the incident's bundle to out as a gzip'd tar. Memory stays flat whatever
// the size of the record and the vault: the record is spooled to a file in opts.SpoolDir, and
// each evidence file is copied from open, hashed while it is written. Evidence that open does
// not find (ENOTFOUND) is listed as missing in the manifest; a held file whose content no
// longer hashes to its name is included as it is and reported in Altered, since the bundle's
// verification will say so too.
func WriteBundle(ctx context.Context, out io.Writer, src blotter.RecordReader, incidentID string, open EvidenceOpener, opts BundleOptions) (*BundleResult, error) {
	spool, err := os.CreateTemp(opts.SpoolDir, ".blotter-record-*.json")
	if err != nil {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "cannot write a temporary file for the bundle: %v", err)
	}
	defer os.Remove(spool.Name())
	defer spool.Close()

	rec := &collectingReader{src: src, evidence: map[string]blotter.Evidence{}}
	if err := WriteJSON(ctx, spool, rec, incidentID, opts.JSON); err != nil {
		return nil, err
	}
	recordSize, err := spool.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, err
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}

	res := &BundleResult{HeadSeq: rec.headSeq, Head: rec.headHash}
	manifest := bundleManifestDoc{
		Format: BundleFormat, Version: BundleVersion, ExportedAt: blotter.FormatTime(opts.JSON.Now), ExportedBy: opts.JSON.By,
		Incident: manifestIncident{ID: rec.inc.ID, Title: rec.inc.Title}, Head: exportHead{Seq: rec.headSeq, Hash: rec.headHash},
		Members: []bundleMember{}, Missing: []blotter.Evidence{}, DoesNotVerify: opts.JSON.DoesNotVerify,
	}
	// Evidence compresses poorly (images, archives, captures): the fastest level keeps a
	// multi-GiB vault from taking minutes, and still shrinks the JSON several times.
	gz, _ := gzip.NewWriterLevel(out, gzip.BestSpeed)
	gz.ModTime = opts.JSON.Now
	tw := tar.NewWriter(gz)
	mtime := opts.JSON.Now.UTC().Truncate(time.Second)
	buf := make([]byte, 1<<20)
	add := func(name string, size int64, r io.Reader) (string, error) {
		// 0600: whoever unpacks a bundle gets the evidence as private as the vault keeps it.
		hdr := &tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o600, Size: size, ModTime: mtime}
		if err := tw.WriteHeader(hdr); err != nil {
			return "", err
		}
		h := sha256.New()
		n, err := io.CopyBuffer(io.MultiWriter(tw, h), io.LimitReader(&ctxReader{ctx: ctx, r: r}, size), buf)
		if err != nil {
			return "", err
		}
		if n != size {
			return "", blotter.Errorf(blotter.EUNAVAILABLE, "%s shrank from %d to %d bytes while it was written into the bundle", name, size, n)
		}
		sum := hex.EncodeToString(h.Sum(nil))
		manifest.Members = append(manifest.Members, bundleMember{Name: name, Size: size, SHA256: sum})
		return sum, nil
	}

	if _, err := add(bundleRecord, recordSize, spool); err != nil {
		return nil, err
	}
	shas := make([]string, 0, len(rec.evidence))
	for sha := range rec.evidence {
		shas = append(shas, sha)
	}
	slices.Sort(shas)
	for _, sha := range shas {
		var (
			f    io.ReadCloser
			size int64
			err  error = blotter.Errorf(blotter.ENOTFOUND, "no evidence is held")
		)
		if open != nil {
			f, size, err = open(sha)
		}
		if blotter.ErrorCode(err) == blotter.ENOTFOUND {
			res.Missing = append(res.Missing, rec.evidence[sha])
			continue
		} else if err != nil {
			return nil, err
		}
		sum, err := add(bundleEvidence+sha, size, f)
		f.Close()
		if err != nil {
			return nil, err
		}
		res.Evidence++
		if sum != sha {
			res.Altered = append(res.Altered, sha)
		}
	}
	manifest.Missing = append(manifest.Missing, res.Missing...)
	doc, err := json.MarshalIndent(manifest, "", "  ")
	if err != nil {
		return nil, err
	}
	doc = append(doc, '\n')
	if err := tw.WriteHeader(&tar.Header{Name: bundleManifest, Typeflag: tar.TypeReg, Mode: 0o600, Size: int64(len(doc)), ModTime: mtime}); err != nil {
		return nil, err
	}
	if _, err := tw.Write(doc); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return res, gz.Close()
}

// collectingReader passes a record through to WriteJSON and keeps what the bundle needs from
// the same snapshot: the incident, its head and the evidence its entries name.
type collectingReader struct {
	src      blotter.RecordReader
	inc      *blotter.Incident
	headSeq  int64
	headHash string
	evidence map[string]blotter.Evidence
}

func (c *collectingReader) ReadRecord(ctx context.Context, incidentID string, v blotter.RecordVisitor) error {
	incident, entry := v.Incident, v.Entry
	v.Incident = func(inc *blotter.Incident, seq int64, hash string) error {
		c.inc, c.headSeq, c.headHash = inc, seq, hash
		return incident(inc, seq, hash)
	}
	v.Entry = func(e *blotter.Entry) error {
		for _, ev := range e.Evidence {
			if _, ok := c.evidence[ev.SHA256]; !ok {
				c.evidence[ev.SHA256] = ev
			}
		}
		return entry(e)
	}
	return c.src.ReadRecord(ctx, incidentID, v)
}

// BundleReport is what a bundle's verification found.
type BundleReport struct {
	IncidentID string `json:"incident_id"`
	Title      string `json:"title"`
	Revisions  int64  `json:"revisions"`
	Head       string `json:"head"`
	Evidence   int    `json:"evidence"`         // evidence files in the bundle, each rehashed
	Missing    int    `json:"evidence_missing"` // named by the record, listed as not held
	Problem    string `json:"problem,omitempty"`
}

// OK reports whether the bundle checked out.
func (r *BundleReport) OK() bool { return r.Problem == "" }

// VerifyBundle checks a bundle read from r, on any machine, without a data dir and without
// writing anything: each member is hashed as it streams past. It checks that the members are
// plain files with the names a bundle has (no path tricks, links or devices), in the order
// Blotter writes them; that record.json verifies as an import would verify it (the chain,
// its end at the header's head, each state valid) and that its entries list is what the log
// says; that each evidence file hashes to its name and has the size the record states; that
// the manifest lists exactly the members, with their sizes and digests, and the record's head;
// and that every evidence file the record names is in the bundle. The report's Problem is the
// first thing that does not check out. An error means the check could not run (ctx ended).
func VerifyBundle(ctx context.Context, r io.Reader) (*BundleReport, error) {
	v := &bundleVerifier{rep: &BundleReport{}, members: map[string]bundleMember{}}
	problem, err := v.run(&ctxReader{ctx: ctx, r: r})
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	v.rep.Problem = problem
	return v.rep, nil
}

type bundleVerifier struct {
	rep      *BundleReport
	record   *recordCheck
	members  map[string]bundleMember // what was read, by name
	manifest *bundleManifestDoc
}

func (v *bundleVerifier) run(r io.Reader) (string, error) {
	in := bufio.NewReaderSize(r, 1<<16)
	var archive io.Reader = in
	if magic, _ := in.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		gz, err := gzip.NewReader(in)
		if err != nil {
			return fmt.Sprintf("the bundle is not a readable gzip file: %v", err), nil
		}
		archive = gz
	}
	tr := tar.NewReader(archive)
	damaged := func(err error) string {
		return fmt.Sprintf("the bundle is damaged or cut short: %v", err)
	}
	buf := make([]byte, 1<<20)
	for i := 0; ; i++ {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return damaged(err), nil
		}
		if problem := memberProblem(hdr); problem != "" {
			return problem, nil
		}
		name := hdr.Name
		switch {
		case v.manifest != nil:
			return fmt.Sprintf("the bundle holds %q after manifest.json, which ends a bundle", name), nil
		case i == 0 && name != bundleRecord:
			return fmt.Sprintf("the bundle does not start with record.json (it starts with %q): Blotter did not write it, or it was repacked", name), nil
		}
		if _, dup := v.members[name]; dup {
			return fmt.Sprintf("the bundle holds %q twice", name), nil
		}
		h := sha256.New()
		body := io.TeeReader(tr, h)
		switch {
		case name == bundleRecord:
			if hdr.Size > MaxBundleRecord {
				return fmt.Sprintf("record.json declares %d bytes, over the %d GiB a bundle's record may have", hdr.Size, MaxBundleRecord>>30), nil
			}
			check, problem, err := checkRecord(body)
			if problem != "" || err != nil {
				return problem, err
			}
			v.record = check
			v.rep.IncidentID, v.rep.Title, v.rep.Revisions, v.rep.Head = check.incidentID, check.title, check.headSeq, check.headHash
		case name == bundleManifest:
			if hdr.Size > MaxBundleManifest {
				return fmt.Sprintf("manifest.json declares %d bytes, over the %d MiB a manifest may have", hdr.Size, MaxBundleManifest>>20), nil
			}
			data, err := io.ReadAll(body)
			if err != nil {
				return damaged(err), nil
			}
			var m bundleManifestDoc
			if err := json.Unmarshal(data, &m); err != nil {
				return fmt.Sprintf("manifest.json cannot be read: %v", err), nil
			}
			v.manifest = &m
			continue // the manifest does not list itself
		default: // evidence/<sha256>, as memberProblem allows
			sha := strings.TrimPrefix(name, bundleEvidence)
			ev, named := v.record.evidence[sha]
			switch {
			case !named:
				return fmt.Sprintf("the bundle holds %s, which the record does not name", name), nil
			case hdr.Size != ev.Size:
				return fmt.Sprintf("%s declares %d bytes, but the record says the file %q is %d", name, hdr.Size, ev.Name, ev.Size), nil
			}
		}
		if _, err := io.CopyBuffer(io.Discard, body, buf); err != nil {
			return damaged(err), nil
		}
		sum := hex.EncodeToString(h.Sum(nil))
		if sha, ok := strings.CutPrefix(name, bundleEvidence); ok {
			if sum != sha {
				return fmt.Sprintf("%s (%q) has been altered: its content hashes to %s", name, v.record.evidence[sha].Name, sum), nil
			}
			v.rep.Evidence++
		}
		v.members[name] = bundleMember{Name: name, Size: hdr.Size, SHA256: sum}
	}
	// Read past the archive's end: it finishes the gzip stream, whose checksum is checked only
	// at its end, and finds anything hidden after the archive.
	if problem, err := onlyZerosLeft(archive); problem != "" || err != nil {
		return problem, err
	}
	if v.record == nil {
		return "the bundle holds no record.json", nil
	}
	if v.manifest == nil {
		return "the bundle has no manifest.json", nil
	}
	return v.compare(), nil
}

// compare checks the manifest against what was read, and the record's evidence against the
// bundle, once every member has been hashed.
func (v *bundleVerifier) compare() string {
	m, rec := v.manifest, v.record
	switch {
	case m.Format != BundleFormat:
		return fmt.Sprintf("manifest.json is not a Blotter bundle manifest (format %q)", m.Format)
	case m.Version > BundleVersion:
		return fmt.Sprintf("the bundle is format version %d; this Blotter reads up to %d: upgrade it", m.Version, BundleVersion)
	}
	listed := map[string]bool{}
	for _, mm := range m.Members {
		got, ok := v.members[mm.Name]
		switch {
		case listed[mm.Name]:
			return fmt.Sprintf("the manifest lists %q twice", mm.Name)
		case !ok:
			return fmt.Sprintf("the manifest lists %q, but the bundle does not hold it", mm.Name)
		case got.Size != mm.Size || got.SHA256 != mm.SHA256:
			return fmt.Sprintf("%s does not match the manifest: it is %d bytes hashing to %s, the manifest says %d bytes hashing to %s",
				mm.Name, got.Size, got.SHA256, mm.Size, mm.SHA256)
		}
		listed[mm.Name] = true
	}
	for _, name := range slices.Sorted(maps.Keys(v.members)) {
		if !listed[name] {
			return fmt.Sprintf("the bundle holds %s, which its manifest does not list", name)
		}
	}
	if m.Head.Seq != rec.headSeq || m.Head.Hash != rec.headHash {
		return fmt.Sprintf("the manifest's head (revision %d, %s) is not the record's (revision %d, %s)", m.Head.Seq, m.Head.Hash, rec.headSeq, rec.headHash)
	}
	if m.Incident.ID != rec.incidentID {
		return fmt.Sprintf("the manifest names incident %s, but the record is incident %s", m.Incident.ID, rec.incidentID)
	}
	missing := map[string]bool{}
	for _, ev := range m.Missing {
		if _, named := rec.evidence[ev.SHA256]; !named || v.members[bundleEvidence+ev.SHA256].Name != "" || missing[ev.SHA256] {
			return fmt.Sprintf("the manifest lists evidence %s as missing, but the record does not name it, or the bundle holds it", ev.SHA256)
		}
		missing[ev.SHA256] = true
	}
	if rec.doesNotVerify != "" {
		return fmt.Sprintf("the record says it did not verify where it was exported: %s", rec.doesNotVerify)
	}
	var firstMissing string
	for _, sha := range slices.Sorted(maps.Keys(rec.evidence)) {
		if v.members[bundleEvidence+sha].Name != "" {
			continue
		}
		ev := rec.evidence[sha]
		if !missing[sha] {
			return fmt.Sprintf("evidence %s (%q), named by the record, is not in the bundle", sha, ev.Name)
		}
		v.rep.Missing++
		if firstMissing == "" {
			firstMissing = fmt.Sprintf("evidence %s (%q) is not in the bundle: the machine that exported it did not hold it", sha, ev.Name)
		}
	}
	if firstMissing != "" && v.rep.Missing > 1 {
		firstMissing += fmt.Sprintf(" (and %d more files)", v.rep.Missing-1)
	}
	return firstMissing
}

// memberProblem refuses a member that is not a plain file with a name a bundle has: nothing is
// extracted, but a bundle is also a tar file someone may unpack by hand, so one that would
// write outside its folder, link elsewhere or make a device is not a Blotter bundle.
func memberProblem(h *tar.Header) string {
	name := h.Name
	climbs := slices.Contains(strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '\\' }), "..")
	switch {
	case strings.HasPrefix(name, "/") || strings.HasPrefix(name, `\`) || (len(name) > 1 && name[1] == ':'):
		return fmt.Sprintf("member %q has an absolute path", name)
	case climbs:
		return fmt.Sprintf("member %q climbs out of the bundle's folder (..)", name)
	case h.Typeflag == tar.TypeSymlink:
		return fmt.Sprintf("member %q is a symlink (to %q): a bundle holds only files", name, h.Linkname)
	case h.Typeflag == tar.TypeLink:
		return fmt.Sprintf("member %q is a hard link (to %q): a bundle holds only files", name, h.Linkname)
	case h.Typeflag == tar.TypeChar || h.Typeflag == tar.TypeBlock:
		return fmt.Sprintf("member %q is a device: a bundle holds only files", name)
	case h.Typeflag == tar.TypeFifo:
		return fmt.Sprintf("member %q is a FIFO: a bundle holds only files", name)
	case h.Typeflag == tar.TypeDir:
		return fmt.Sprintf("member %q is a folder: a bundle holds only files", name)
	case h.Typeflag != tar.TypeReg:
		return fmt.Sprintf("member %q is of tar type %q, not a plain file", name, h.Typeflag)
	case name == bundleRecord || name == bundleManifest:
		return ""
	}
	if sha, ok := strings.CutPrefix(name, bundleEvidence); ok && len(sha) == 64 && strings.Trim(sha, "0123456789abcdef") == "" {
		return ""
	}
	return fmt.Sprintf("the bundle holds %q, which is not a member a bundle has (record.json, evidence/<sha256>, manifest.json)", name)
}

// onlyZerosLeft reads what follows the archive's end (tar pads with zero blocks) up to a bound.
func onlyZerosLeft(r io.Reader) (string, error) {
	const maxPadding = 1 << 20 // GNU tar pads to 10 KiB; anything near this is not padding
	buf := make([]byte, 32<<10)
	var read int64
	for {
		n, err := r.Read(buf)
		read += int64(n)
		if slices.ContainsFunc(buf[:n], func(b byte) bool { return b != 0 }) || read > maxPadding {
			return "the bundle holds data after the end of its archive", nil
		}
		if errors.Is(err, io.EOF) {
			return "", nil
		} else if err != nil {
			return fmt.Sprintf("the bundle is damaged or cut short: %v", err), nil
		}
	}
}

// recordCheck is what checkRecord learned from a verified record.json.
type recordCheck struct {
	incidentID    string
	title         string
	headSeq       int64
	headHash      string
	doesNotVerify string
	evidence      map[string]blotter.Evidence // named by the entries, by digest
}

// checkRecord verifies a JSON export as an import would (NewReader, the domain's chain
// verifier, each state valid, the log ending at the header's head) and also what import
// ignores: that the header's incident and the entries list are the states the log ends with,
// and that nothing follows the export. Memory grows with the number of entries (a digest of
// each one's last state), not with their size.
func checkRecord(r io.Reader) (*recordCheck, string, error) {
	rd, err := NewReader(r)
	if err != nil {
		return nil, "record.json: " + blotter.ErrorMessage(err), nil
	}
	if rd.Header.Incident == nil || !blotter.ValidID(rd.Header.Incident.ID) {
		return nil, "record.json: its header names no incident", nil
	}
	check := &recordCheck{incidentID: rd.Header.Incident.ID, title: rd.Header.Incident.Title,
		doesNotVerify: rd.Header.DoesNotVerify, evidence: map[string]blotter.Evidence{}}
	verifier := blotter.NewChainVerifier(check.incidentID)
	finals := map[[16]byte][32]byte{} // entry id -> digest of its last state in the log
	var lastIncident *blotter.Incident
	for {
		rev, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, "record.json: " + blotter.ErrorMessage(err), nil
		}
		c, err := verifier.Check(rev)
		if err == nil {
			err = validState(c)
		}
		if err != nil {
			return nil, "the record does not verify: " + blotter.ErrorMessage(err), nil
		}
		switch {
		case c.Entry != nil:
			key, _ := idKey(c.Entry.ID)
			finals[key] = stateDigest(c.Entry)
		case c.Incident != nil:
			lastIncident = c.Incident
		}
	}
	if verifier.Count() == 0 {
		return nil, "record.json holds no revisions", nil
	}
	check.headSeq, check.headHash = verifier.Count(), verifier.Head()
	if stateDigest(lastIncident) != stateDigest(rd.Header.Incident) {
		return nil, "record.json's header shows the incident otherwise than its last revision: it was edited", nil
	}
	for {
		e, err := rd.nextEntry()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, "record.json: " + blotter.ErrorMessage(err), nil
		}
		key, ok := idKey(e.ID)
		want, inLog := finals[key]
		switch {
		case !ok || !inLog:
			return nil, fmt.Sprintf("record.json lists entry %q, which its log does not have (or lists it twice)", e.ID), nil
		case stateDigest(e) != want:
			return nil, fmt.Sprintf("entry %s in record.json's entries differs from its last revision: it was edited", e.ID), nil
		}
		delete(finals, key)
		for _, ev := range e.Evidence {
			if prev, seen := check.evidence[ev.SHA256]; seen && prev.Size != ev.Size {
				return nil, fmt.Sprintf("the record names evidence %s with two sizes (%d and %d)", ev.SHA256, prev.Size, ev.Size), nil
			} else if !seen {
				check.evidence[ev.SHA256] = ev
			}
		}
	}
	if len(finals) > 0 {
		return nil, fmt.Sprintf("record.json's entries list lacks %d entries its log has: it was edited", len(finals)), nil
	}
	if clean, err := rd.onlySpaceLeft(); err != nil {
		return nil, "record.json: " + err.Error(), nil
	} else if !clean {
		return nil, "record.json holds data after the export's end", nil
	}
	return check, "", nil
}

// validState applies the rules an import applies to each state it replays.
func validState(c *blotter.RevisionContent) error {
	switch {
	case c.Incident != nil:
		return c.Incident.Validate()
	case c.Task != nil:
		return c.Task.Validate()
	case c.Entry != nil:
		return c.Entry.Validate()
	}
	return nil
}

// stateDigest hashes a state as Blotter writes it, to compare two copies without keeping one.
func stateDigest(v any) [32]byte {
	b, err := json.Marshal(v)
	if err != nil {
		return [32]byte{}
	}
	return sha256.Sum256(b)
}

// idKey packs a UUID into 16 bytes: a million entries' last states fit in tens of MiB.
func idKey(id string) ([16]byte, bool) {
	var key [16]byte
	if !blotter.ValidID(id) {
		return key, false
	}
	_, err := hex.Decode(key[:], []byte(id[0:8]+id[9:13]+id[14:18]+id[19:23]+id[24:]))
	return key, err == nil
}

// ctxReader stops reading when ctx ends, so that Ctrl+C stops the copy or the check of a
// multi-GiB member. Files and pipes that do not block forever need nothing more.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
