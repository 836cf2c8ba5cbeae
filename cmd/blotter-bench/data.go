package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

// words is the vocabulary of generated notes: incident-response words, many sharing prefixes
// ("se…", "lo…") so that a prefix query matches a large part of the timeline.
var words = strings.Fields(`server session security service sent seen search segment serial setting
login logout lockout log logged local location lost lookup loader
alert attacker access account admin agent anomaly api archive auth
host hash http https ip port process payload phishing pivot policy
blocked beacon binary bucket credential c2 cluster container dns domain
endpoint exfiltration firewall forensic ingress isolate kernel lateral
malware memory mitigation network outbound patch persistence privilege ransomware
registry rollback sandbox scanner shell snapshot spike token traffic tunnel user vpn
the a to of and on from in with at for by was is we`)

// rareWord appears in only a handful of entries, for the rare-word search.
const rareWord = "quetzalcoatl"

// generate writes n entries of one incident as a Blotter JSON export (a valid hash chain, as
// Blotter itself would have made it) and the same rows as CSV for the sqlite3 baseline.
func generate(n int, exportPath, csvPath string) (incidentID string, err error) {
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	inc := &blotter.Incident{ID: blotter.NewID(), Title: "Benchmark incident", Severity: blotter.SeverityHigh,
		Status: blotter.StatusOpen, CreatedAt: start, CreatedBy: "bench", Revision: 1}

	// The export's header names the head of the log, known only at the end, so the revisions
	// go to a body file first.
	bodyPath := exportPath + ".body"
	bf, err := os.Create(bodyPath)
	if err != nil {
		return "", err
	}
	defer os.Remove(bodyPath)
	body := bufio.NewWriterSize(bf, 1<<20)
	cf, err := os.Create(csvPath)
	if err != nil {
		return "", err
	}
	defer cf.Close()
	cw := csv.NewWriter(bufio.NewWriterSize(cf, 1<<20))

	prev, seq := "", int64(0)
	appendRevision := func(c blotter.RevisionContent) error {
		seq++
		c.IncidentID, c.Seq = inc.ID, seq
		r, err := blotter.NewRevision(c, prev)
		if err != nil {
			return err
		}
		prev = r.Hash
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if seq > 1 {
			body.WriteString(",\n")
		}
		_, err = body.Write(b)
		return err
	}

	if err := appendRevision(blotter.RevisionContent{Subject: blotter.SubjectIncident, SubjectID: inc.ID, Revision: 1,
		Action: blotter.ActionCreate, By: "bench", At: blotter.FormatTime(start), Incident: inc}); err != nil {
		return "", err
	}
	authors := []string{"ana", "ben", "chen", "dara"}
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(i) * 2 * time.Second)
		k := 6 + rng.IntN(14)
		text := make([]string, 0, k+2)
		for j := 0; j < k; j++ {
			text = append(text, words[rng.IntN(len(words))])
		}
		if i%50 == 0 {
			text = append(text, fmt.Sprintf("198.51.%d.%d", rng.IntN(256), rng.IntN(256)))
		}
		if i%(n/8+1) == 7 {
			text = append(text, rareWord)
		}
		e := &blotter.Entry{ID: blotter.NewID(), IncidentID: inc.ID, Kind: blotter.KindNote, OccurredAt: at, RecordedAt: at,
			Author: authors[i%len(authors)], Text: strings.Join(text, " "), Tags: []string{}, Evidence: []blotter.Evidence{}, Revision: 1}
		if err := appendRevision(blotter.RevisionContent{Subject: blotter.SubjectEntry, SubjectID: e.ID, Revision: 1,
			Action: blotter.ActionCreate, By: e.Author, At: blotter.FormatTime(at), Entry: e}); err != nil {
			return "", err
		}
		if err := cw.Write([]string{e.ID, inc.ID, string(e.Kind), strconv.FormatInt(at.UnixNano(), 10), e.Author, e.Text}); err != nil {
			return "", err
		}
	}
	if err := body.Flush(); err != nil {
		return "", err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return "", err
	}

	ef, err := os.Create(exportPath)
	if err != nil {
		return "", err
	}
	defer ef.Close()
	header, _ := json.Marshal(map[string]any{
		"format": "blotter.export", "version": 1, "exported_at": blotter.FormatTime(start), "exported_by": "bench",
		"incident": inc, "head": map[string]any{"seq": seq, "hash": prev},
	})
	out := bufio.NewWriterSize(ef, 1<<20)
	out.Write(header[:len(header)-1])
	out.WriteString(",\n\"revisions\": [\n")
	if _, err := bf.Seek(0, 0); err != nil {
		return "", err
	}
	if _, err := out.ReadFrom(bf); err != nil {
		return "", err
	}
	out.WriteString("],\n\"entries\": []}\n")
	return inc.ID, out.Flush()
}
