package report

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/textsafe"
)

// Bounds on the images an HTML report embeds: a report is mailed and printed, and a 40 MiB
// screenshot or a hundred of them would make it unusable. Larger images are listed only.
const (
	MaxHTMLImage  = 2 << 20  // one image
	MaxHTMLImages = 32 << 20 // all of them
)

// htmlCSP allows nothing to load but the report's own data: URI images and inline styles. A
// report opened from a mail or a share must not call out (a tracking pixel tells the sender
// who read it, and when) nor run anything.
const htmlCSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

// embeddable are the image types a report embeds, by their sniffed content: raster formats
// only (an SVG is a document that can carry script and links).
var embeddable = []string{"image/png", "image/jpeg", "image/gif", "image/webp"}

// WriteHTML writes a self-contained, printable report of the incident: its header, the
// timeline by day, the task board by column, the evidence with digests (image evidence held
// here embedded as a data: URI, within MaxHTMLImage and MaxHTMLImages), and the chain head
// with how to check the record. open may be nil (no images).
//
// Nothing in it is live: recorded text is escaped (an entry's text, Markdown included, is
// preformatted text), links are shown as text, no script and no remote resource is loaded,
// and a Content-Security-Policy says so to the browser too. Control and bidi characters are
// shown as escapes (textsafe). Marked secrets are masked unless opts.Unmasked.
func WriteHTML(ctx context.Context, out io.Writer, src blotter.RecordReader, incidentID string, open EvidenceOpener, opts Options) error {
	w := bufio.NewWriterSize(out, 1<<16)
	var (
		lastDay  string
		inDay    bool
		tasks    = map[string]*blotter.Task{}
		evidence []*htmlEvidence
		bySHA    = map[string]*htmlEvidence{}
		head     htmlVerify
	)
	err := src.ReadRecord(ctx, incidentID, blotter.RecordVisitor{
		EntriesFirst: true,
		Incident: func(inc *blotter.Incident, headSeq int64, headHash string) error {
			head = htmlVerify{Seq: headSeq, Hash: headHash}
			return htmlTemplates.ExecuteTemplate(w, "head", map[string]any{
				"CSP": htmlCSP, "Title": textsafe.Terminal(inc.Title), "ID": inc.ID, "Severity": textsafe.Terminal(string(inc.Severity)),
				"Status": textsafe.Terminal(string(inc.Status)), "Opened": blotter.FormatTime(inc.CreatedAt), "By": textsafe.Terminal(inc.CreatedBy),
				"Exported": blotter.FormatTime(opts.now()), "Seq": headSeq, "Hash": headHash, "Unmasked": opts.Unmasked, "Notice": unmaskedNotice,
			})
		},
		Entry: func(e *blotter.Entry) error {
			if day := e.OccurredAt.UTC().Format("2006-01-02 (Monday)"); day != lastDay {
				if err := htmlTemplates.ExecuteTemplate(w, "day", map[string]any{"Day": day, "Close": inDay}); err != nil {
					return err
				}
				lastDay, inDay = day, true
			}
			view := htmlEntry{
				ID: e.ID, Time: e.OccurredAt.UTC().Format("15:04:05"), Kind: textsafe.Terminal(string(e.Kind)),
				Author: textsafe.Terminal(e.Author), Revision: e.Revision, Deleted: e.Deleted,
				Text: strings.TrimRight(textsafe.TerminalMultiline(opts.text(e)), "\n"),
			}
			for _, t := range e.Tags {
				view.Tags = append(view.Tags, textsafe.Terminal(t))
			}
			if len(e.Secrets) > 0 {
				view.Secrets = strings.Join(secretKinds(e.Secrets), ", ")
				view.Masked = !opts.Unmasked
			}
			if e.Source != nil {
				view.Source = textsafe.Terminal(e.Source.URL)
			}
			for _, ev := range e.Evidence {
				view.Evidence = append(view.Evidence, htmlEvidenceRef{SHA: ev.SHA256, Name: textsafe.Terminal(ev.Name)})
				if x := bySHA[ev.SHA256]; x != nil {
					x.Entries++
					continue
				}
				x := &htmlEvidence{SHA: ev.SHA256, Name: textsafe.Terminal(ev.Name), Size: ev.Size, MediaType: textsafe.Terminal(ev.MediaType),
					First: blotter.FormatTime(e.OccurredAt), Entries: 1, recorded: ev}
				bySHA[ev.SHA256] = x
				evidence = append(evidence, x)
			}
			return htmlTemplates.ExecuteTemplate(w, "entry", view)
		},
		Revision: func(r *blotter.Revision) error {
			if r.Subject != blotter.SubjectTask {
				return nil
			}
			c, err := r.Decode()
			if err != nil {
				return err
			}
			tasks[c.Task.ID] = c.Task
			return nil
		},
	})
	if err != nil {
		return err
	}
	if err := htmlTemplates.ExecuteTemplate(w, "tasks", map[string]any{"CloseDay": inDay, "Columns": taskColumns(tasks)}); err != nil {
		return err
	}
	embedded := int64(0)
	for _, ev := range evidence {
		ev.thumbnail(open, &embedded)
	}
	if err := htmlTemplates.ExecuteTemplate(w, "evidence", evidence); err != nil {
		return err
	}
	if err := htmlTemplates.ExecuteTemplate(w, "verify", head); err != nil {
		return err
	}
	return w.Flush()
}

type htmlEntry struct {
	ID, Time, Kind, Author, Text, Secrets, Source string
	Tags                                          []string
	Evidence                                      []htmlEvidenceRef
	Revision                                      int
	Deleted, Masked                               bool
}

type htmlEvidenceRef struct{ SHA, Name string }

type htmlEvidence struct {
	SHA, Name, MediaType, First string
	Size                        int64
	Entries                     int
	Image                       template.URL // a data: URI we built, or ""
	Note                        string       // why an image is not shown
	recorded                    blotter.Evidence
}

type htmlVerify struct {
	Seq  int64
	Hash string
}

type htmlColumn struct {
	Label string
	Tasks []htmlTask
}

type htmlTask struct {
	Title, Assignee, Due, WaitsOn, Description string
}

// taskColumns lays the board out as the app does: columns in board order, each by rank.
func taskColumns(tasks map[string]*blotter.Task) []htmlColumn {
	var cols []htmlColumn
	for _, status := range blotter.TaskStatuses {
		var in []*blotter.Task
		for _, t := range tasks {
			if t.Status == status {
				in = append(in, t)
			}
		}
		slices.SortFunc(in, func(a, b *blotter.Task) int {
			if a.Rank != b.Rank {
				if a.Rank < b.Rank {
					return -1
				}
				return 1
			}
			return strings.Compare(a.ID, b.ID)
		})
		col := htmlColumn{Label: status.Label()}
		for _, t := range in {
			col.Tasks = append(col.Tasks, htmlTask{
				Title: textsafe.Terminal(t.Title), Assignee: textsafe.Terminal(t.Assignee), Due: textsafe.Terminal(t.DueAt),
				WaitsOn: textsafe.Terminal(t.BlockedReason), Description: strings.TrimRight(textsafe.TerminalMultiline(t.Description), "\n"),
			})
		}
		cols = append(cols, col)
	}
	return cols
}

// thumbnail embeds the evidence as an image if it is one, is held here, is small enough, and
// hashes to its name (an altered file is not shown beside its digest as if it were it).
func (ev *htmlEvidence) thumbnail(open EvidenceOpener, embedded *int64) {
	if !strings.HasPrefix(ev.recorded.MediaType, "image/") || open == nil {
		return
	}
	switch {
	case ev.recorded.Size > MaxHTMLImage:
		ev.Note = fmt.Sprintf("image not embedded: over %d MiB", MaxHTMLImage>>20)
		return
	case *embedded+ev.recorded.Size > MaxHTMLImages:
		ev.Note = fmt.Sprintf("image not embedded: the report holds %d MiB of images already", MaxHTMLImages>>20)
		return
	}
	f, size, err := open(ev.SHA)
	if blotter.ErrorCode(err) == blotter.ENOTFOUND {
		ev.Note = "image not embedded: the file is not held on the machine that wrote this report"
		return
	} else if err != nil {
		ev.Note = "image not embedded: the file cannot be read"
		return
	}
	defer f.Close()
	if size > MaxHTMLImage {
		ev.Note = fmt.Sprintf("image not embedded: over %d MiB", MaxHTMLImage>>20)
		return
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxHTMLImage+1))
	sum := sha256.Sum256(data)
	switch {
	case err != nil:
		ev.Note = "image not embedded: the file cannot be read"
		return
	case hex.EncodeToString(sum[:]) != ev.SHA:
		ev.Note = "image not embedded: the file held here does not match its digest (run blotter verify)"
		return
	}
	kind := http.DetectContentType(data)
	if !slices.Contains(embeddable, kind) {
		ev.Note = "image not embedded: its content is not a PNG, JPEG, GIF or WebP image"
		return
	}
	*embedded += int64(len(data))
	ev.Image = template.URL("data:" + kind + ";base64," + base64.StdEncoding.EncodeToString(data))
}

// The report's page. Recorded text only ever reaches it through html/template's escaping, as
// element text or a quoted attribute; the only URLs in it are data: URIs built above and
// fragment links (#ev-…) within the page.
var htmlTemplates = template.Must(template.New("report").Parse(`
{{- define "head" -}}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light">
<title>Incident {{.Title}}</title>
<style>
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111; background: #fff; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .5rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #333; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; overflow-wrap: anywhere; }
code { font-size: .9em; }
pre { white-space: pre-wrap; font-size: 9.5pt; line-height: 1.4; border-left: 3px solid #bbb; padding: .2rem .75rem; margin: .35rem 0; }
.notice { border: 2px solid #a00; padding: .5rem .75rem; font-weight: 600; }
.entry { border-top: 1px solid #ddd; padding: .45rem 0; break-inside: avoid; }
.meta { font-size: .92em; }
.meta time { font-weight: 600; font-variant-numeric: tabular-nums; }
.deleted pre { color: #555; border-left-style: dashed; }
.flag { font-weight: 600; }
ul.refs { margin: .2rem 0; padding-left: 1.2rem; font-size: .92em; }
table { border-collapse: collapse; width: 100%; font-size: .92em; }
th, td { border: 1px solid #bbb; padding: .25rem .4rem; text-align: left; vertical-align: top; }
figure { margin: .4rem 0; break-inside: avoid; }
img.thumb { max-width: 100%; max-height: 12cm; border: 1px solid #bbb; }
a { color: inherit; }
.muted { color: #555; }
@page { margin: 1.5cm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  section.part { break-before: page; }
  h2, h3 { break-after: avoid; }
  tr, .entry, figure { break-inside: avoid; }
  a { text-decoration: none; }
}
</style>
</head>
<body>
{{if .Unmasked}}<p class="notice">{{.Notice}}</p>
{{end -}}
<header>
<h1>Incident report: {{.Title}}</h1>
<dl class="facts">
<dt>Incident</dt><dd><code>{{.ID}}</code></dd>
<dt>Severity</dt><dd>{{.Severity}}</dd>
<dt>Status</dt><dd>{{.Status}}</dd>
<dt>Opened</dt><dd>{{.Opened}} by {{.By}}</dd>
<dt>Record</dt><dd>{{.Seq}} revisions, head <code>{{.Hash}}</code></dd>
<dt>Exported</dt><dd>{{.Exported}}</dd>
<dt>Secrets</dt><dd>{{if .Unmasked}}<strong>not masked</strong>{{else}}masked: each secret marked in an entry reads [REDACTED kind]{{end}}</dd>
</dl>
<p class="muted">Recorded text is shown as it was written, as plain text (never rendered), except that control and bidirectional characters are shown as escapes (\x1b, \r, \u202e). Times are UTC.</p>
</header>
<section id="timeline">
<h2>Timeline (UTC)</h2>
{{end}}

{{- define "day" -}}
{{if .Close}}</div>
{{end}}<h3>{{.Day}}</h3>
<div class="day">
{{end}}

{{- define "entry" -}}
<article class="entry{{if .Deleted}} deleted{{end}}" id="entry-{{.ID}}">
<div class="meta"><time>{{.Time}}</time> · {{.Kind}} · {{.Author}}
{{- if .Tags}} · tags {{range $i, $t := .Tags}}{{if $i}}, {{end}}<code>{{$t}}</code>{{end}}{{end}}
{{- if gt .Revision 1}} · revision {{.Revision}}{{end}}
{{- if .Secrets}} · holds secrets: {{.Secrets}} ({{if .Masked}}masked{{else}}<span class="flag">not masked</span>{{end}}){{end}}
{{- if .Deleted}} · <span class="flag">(deleted)</span>{{end}}</div>
{{if .Text}}<pre>{{.Text}}</pre>
{{end -}}
{{if .Evidence}}<ul class="refs">{{range .Evidence}}<li>evidence <a href="#ev-{{.SHA}}">{{.Name}}</a> <code>{{.SHA}}</code></li>{{end}}</ul>
{{end -}}
{{if .Source}}<div class="meta muted">source (not a link): <code>{{.Source}}</code></div>
{{end -}}
</article>
{{end}}

{{- define "tasks" -}}
{{if .CloseDay}}</div>
{{end}}</section>
<section id="tasks" class="part">
<h2>Tasks</h2>
{{range .Columns}}<h3>{{.Label}} ({{len .Tasks}})</h3>
{{if .Tasks}}<ul>
{{range .Tasks}}<li><strong>{{.Title}}</strong>{{if .Assignee}} · {{.Assignee}}{{end}}{{if .Due}} · due {{.Due}}{{end}}{{if .WaitsOn}} · waits on: {{.WaitsOn}}{{end}}
{{- if .Description}}<pre>{{.Description}}</pre>{{end}}</li>
{{end}}</ul>
{{else}}<p class="muted">None.</p>
{{end}}{{end -}}
</section>
{{end}}

{{- define "evidence" -}}
<section id="evidence" class="part">
<h2>Evidence</h2>
{{if .}}<table>
<thead><tr><th>File</th><th>SHA-256</th><th>Size</th><th>Type</th><th>First named</th></tr></thead>
<tbody>
{{range .}}<tr id="ev-{{.SHA}}"><td>{{.Name}}{{if gt .Entries 1}} <span class="muted">({{.Entries}} entries)</span>{{end}}</td><td><code>{{.SHA}}</code></td><td>{{.Size}} bytes</td><td>{{.MediaType}}</td><td>{{.First}}</td></tr>
{{if .Image}}<tr><td colspan="5"><figure><img class="thumb" src="{{.Image}}" alt="{{.Name}}"></figure></td></tr>
{{else if .Note}}<tr><td colspan="5" class="muted">{{.Note}}</td></tr>
{{end}}{{end}}</tbody>
</table>
{{else}}<p class="muted">No evidence files.</p>
{{end -}}
</section>
{{end}}

{{- define "verify" -}}
<section id="verify" class="part">
<h2>Checking this record</h2>
<p>This report is a view of the record, not the record. The record is a hash chain of {{.Seq}} revisions whose last hash (the head) is:</p>
<pre>{{.Hash}}</pre>
<p>Each revision's hash is SHA-256 of the previous hash, a line break, and the revision's content, so changing any past revision changes the head. To check the record, get its bundle (<code>blotter export --format bundle -o FILE.tar.gz</code>) or its JSON export, and run <code>blotter verify --bundle FILE.tar.gz</code> on any machine (no data dir needed), or <code>blotter import FILE.json</code> then <code>blotter verify</code>. The head it reports must be the one above; compare it with a copy kept elsewhere (the GitLab incident, a copy given to legal).</p>
</section>
</body>
</html>
{{end}}`))
