// Package drafts turns an incident's record into the documents written after it: the root
// cause analysis (following GitLab's incident review structure) and the runbook. Both are
// Go text/template files (defaults embedded, a team may replace them) filled from Data, which
// holds only what the record says: a section with nothing recorded says so, and how to record
// it, instead of inventing content.
package drafts

import (
	"bytes"
	"embed"
	"fmt"
	"sort"
	"strings"
	"text/template"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/mdquote"
)

//go:embed templates/*.md.tmpl
var defaults embed.FS

// DefaultTemplate returns the embedded template for a document kind.
func DefaultTemplate(kind blotter.DocumentKind) string {
	b, err := defaults.ReadFile("templates/" + string(kind) + ".md.tmpl")
	if err != nil {
		panic(err) // the build embeds both
	}
	return string(b)
}

// Record is what a draft is made from: the incident's record as it is now.
type Record struct {
	Incident  *blotter.Incident
	Entries   []*blotter.Entry // visible entries, oldest first
	Tasks     []*blotter.Task
	HeadSeq   int64
	HeadHash  string
	GitLabURL string // the linked GitLab incident, or ""
	// InGitLab holds the entries that are timeline events of the GitLab incident.
	InGitLab map[string]bool
	Now      time.Time
}

// Milestone is a GitLab timeline tag and the first entry that carries it.
type Milestone struct {
	Tag   string
	At    time.Time
	Entry *blotter.Entry
}

// Step is a runbook step: an entry tagged #runbook, and the phase of the incident it was in.
type Step struct {
	Phase string
	Entry *blotter.Entry
}

// Data is what the templates see.
type Data struct {
	Record
	Responders []string
	Milestones []Milestone
	// The times GitLab's incident review asks for, from the milestones (nil: not recorded).
	TimeToDetect, TimeToRespond, TimeToMitigate, TimeToResolve *time.Duration
	Key                                                        []*blotter.Entry // milestones and tagged entries
	Impact, RootCause, WentWell, CanImprove                    []*blotter.Entry
	Detection, Diagnosis, Mitigation                           []*blotter.Entry
	Actions                                                    []*blotter.Task // open tasks and #follow-up tasks
	Evidence                                                   []EvidenceRef
	Steps                                                      []Step
	Phases                                                     []string // the runbook's phases in order, each with steps
}

// EvidenceRef is an evidence file and the entry it came with.
type EvidenceRef struct {
	blotter.Evidence
	Entry *blotter.Entry
}

// Tags that sort entries into the RCA's sections (besides GitLab's milestone tags).
var (
	impactTags    = []string{"impact", "customer-impact", "Impact detected"}
	causeTags     = []string{"root-cause", "cause", "Cause identified"}
	wellTags      = []string{"went-well", "good"}
	improveTags   = []string{"can-improve", "improve", "lesson"}
	detectionTags = []string{"detection", "Impact detected"}
	diagnosisTags = []string{"diagnosis", "Cause identified"}
	mitigateTags  = []string{"mitigation", "Impact mitigated"}
	runbookTag    = "runbook"
	followUpTag   = "follow-up"
)

// Build sorts the record into what the templates show.
func Build(rec Record) *Data {
	d := &Data{Record: rec}
	authors := map[string]bool{}
	var visible []*blotter.Entry
	firstTag := map[string]*blotter.Entry{}
	for _, e := range rec.Entries {
		if e.Deleted {
			continue
		}
		// A draft is written to be shared: marked secrets are masked in it, as in every
		// shared export.
		masked := *e
		masked.Text = blotter.MaskSecrets(e.Text, e.Secrets)
		e := &masked
		if e.Kind != blotter.KindSystem && e.Author != "" && !authors[e.Author] {
			authors[e.Author] = true
			d.Responders = append(d.Responders, e.Author)
		}
		for _, t := range e.Tags {
			if _, ok := firstTag[t]; !ok {
				firstTag[t] = e
			}
		}
		if len(e.Tags) > 0 && e.Kind != blotter.KindTask {
			d.Key = append(d.Key, e)
		}
		add := func(list *[]*blotter.Entry, tags []string) {
			if hasAny(e.Tags, tags) {
				*list = append(*list, e)
			}
		}
		add(&d.Impact, impactTags)
		add(&d.RootCause, causeTags)
		add(&d.WentWell, wellTags)
		add(&d.CanImprove, improveTags)
		add(&d.Detection, detectionTags)
		add(&d.Diagnosis, diagnosisTags)
		add(&d.Mitigation, mitigateTags)
		for _, ev := range e.Evidence {
			d.Evidence = append(d.Evidence, EvidenceRef{Evidence: ev, Entry: e})
		}
		visible = append(visible, e)
	}
	for _, tag := range blotter.GitLabTimelineTags {
		if e := firstTag[tag]; e != nil {
			d.Milestones = append(d.Milestones, Milestone{Tag: tag, At: e.OccurredAt, Entry: e})
		}
	}
	at := func(tag string) *time.Time {
		if e := firstTag[tag]; e != nil {
			return &e.OccurredAt
		}
		return nil
	}
	start := at("Start time")
	if start == nil && rec.Incident != nil {
		start = &rec.Incident.CreatedAt
	}
	d.TimeToDetect = between(start, at("Impact detected"))
	d.TimeToRespond = between(at("Impact detected"), at("Response initiated"))
	d.TimeToMitigate = between(start, at("Impact mitigated"))
	d.TimeToResolve = between(start, at("End time"))
	for _, t := range rec.Tasks {
		if t.Status != blotter.TaskDone || strings.Contains(strings.ToLower(t.Title+" "+t.Description), "#"+followUpTag) {
			d.Actions = append(d.Actions, t)
		}
	}
	d.Steps = runbookSteps(visible, at("Impact mitigated"), at("End time"))
	seen := map[string]bool{}
	for _, s := range d.Steps {
		if !seen[s.Phase] {
			seen[s.Phase] = true
			d.Phases = append(d.Phases, s.Phase)
		}
	}
	return d
}

// runbookSteps are the visible #runbook entries in order, each in the phase it happened in.
func runbookSteps(entries []*blotter.Entry, mitigated, ended *time.Time) []Step {
	var steps []Step
	for _, e := range entries {
		if !hasAny(e.Tags, []string{runbookTag}) {
			continue
		}
		phase := "Before mitigation"
		switch {
		case ended != nil && !e.OccurredAt.Before(*ended):
			phase = "After the incident ended"
		case mitigated != nil && !e.OccurredAt.Before(*mitigated):
			phase = "After mitigation"
		}
		steps = append(steps, Step{Phase: phase, Entry: e})
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].Entry.OccurredAt.Before(steps[j].Entry.OccurredAt) })
	return steps
}

func between(a, b *time.Time) *time.Duration {
	if a == nil || b == nil || b.Before(*a) {
		return nil
	}
	d := b.Sub(*a)
	return &d
}

func hasAny(tags, want []string) bool {
	for _, t := range tags {
		for _, w := range want {
			if strings.EqualFold(t, w) {
				return true
			}
		}
	}
	return false
}

// Render fills the template (the default for kind when tmpl is "") with the record.
func Render(kind blotter.DocumentKind, tmpl string, rec Record) (string, error) {
	if tmpl == "" {
		tmpl = DefaultTemplate(kind)
	}
	t, err := template.New(string(kind)).Funcs(funcs).Option("missingkey=error").Parse(tmpl)
	if err != nil {
		return "", blotter.Errorf(blotter.EINVALID, "the %s template does not parse: %v", kind, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, Build(rec)); err != nil {
		return "", blotter.Errorf(blotter.EINVALID, "the %s template failed: %v", kind, err)
	}
	return b.String(), nil
}

var funcs = template.FuncMap{
	"time":    func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"clock":   func(t time.Time) string { return t.UTC().Format("15:04:05") },
	"dur":     duration,
	"line":    line,
	"fence":   func(s string) string { return mdquote.Fence(s, "") },
	"join":    strings.Join,
	"shorten": func(s string, n int) string { return shorten(s, n) },
	"due": func(t *blotter.Task) string {
		if due, ok := t.Due(); ok {
			return due.UTC().Format("2006-01-02 15:04 UTC")
		}
		return "no due date"
	},
	"who": func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "unassigned"
		}
		return line(s)
	},
}

// duration says a duration as a person does; nil is "not recorded".
func duration(d *time.Duration) string {
	if d == nil {
		return "not recorded"
	}
	m := d.Round(time.Minute)
	switch h := int(m / time.Hour); {
	case h >= 24:
		return fmt.Sprintf("%d d %d h", h/24, h%24)
	case h > 0:
		return fmt.Sprintf("%d h %d min", h, int(m%time.Hour/time.Minute))
	}
	return fmt.Sprintf("%d min", int(m/time.Minute))
}

// line makes recorded text one line of Markdown that keeps the document's structure: line
// breaks become spaces, and a start that Markdown would read as a heading, quote, list or
// fence is escaped.
func line(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s != "" && strings.ContainsRune("#>-+*=|`~", rune(s[0])) {
		s = `\` + s
	}
	// "|" would end a table cell; "\|" reads as "|" everywhere in GitLab's Markdown.
	return strings.NewReplacer("<", "&lt;", ">", "&gt;", "|", `\|`).Replace(s)
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
