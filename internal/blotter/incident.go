package blotter

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Severity ranks an incident.
type Severity string

// Severities, most severe first.
const (
	SeverityCritical Severity = "critical"
	SeverityHigh     Severity = "high"
	SeverityMedium   Severity = "medium"
	SeverityLow      Severity = "low"
)

// Severities lists the valid severities, most severe first.
var Severities = []Severity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow}

// Status is where an incident stands.
type Status string

// Statuses, in the order an incident usually goes through them.
const (
	StatusOpen      Status = "open"
	StatusMitigated Status = "mitigated"
	StatusResolved  Status = "resolved"
	StatusClosed    Status = "closed"
)

// Statuses lists the valid statuses in their usual order.
var Statuses = []Status{StatusOpen, StatusMitigated, StatusResolved, StatusClosed}

// MaxTitleBytes bounds an incident title.
const MaxTitleBytes = 512

// Incident is one security incident: the owner of a timeline and, later, of a task board.
type Incident struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Severity  Severity  `json:"severity"`
	Status    Status    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
	Revision  int       `json:"revision"`
}

// Validate returns an EINVALID error if the incident breaks a rule.
func (inc *Incident) Validate() error {
	if !ValidID(inc.ID) {
		return Errorf(EINVALID, "incident id %q is not a UUID", inc.ID)
	}
	if err := validateLine("incident title", inc.Title, MaxTitleBytes); err != nil {
		return err
	}
	if !oneOf(inc.Severity, Severities) {
		return Errorf(EINVALID, "severity %q is not one of %s", inc.Severity, joinStrings(Severities))
	}
	if !oneOf(inc.Status, Statuses) {
		return Errorf(EINVALID, "status %q is not one of %s", inc.Status, joinStrings(Statuses))
	}
	if !validTime(inc.CreatedAt) {
		return Errorf(EINVALID, "incident time %s is out of range", inc.CreatedAt)
	}
	return validateLine("author", inc.CreatedBy, MaxAuthorBytes)
}

// IncidentUpdate names the incident fields to change; nil fields stay as they are.
type IncidentUpdate struct {
	Title    *string   `json:"title,omitempty"`
	Severity *Severity `json:"severity,omitempty"`
	Status   *Status   `json:"status,omitempty"`
}

// Apply changes inc as the update says.
func (u IncidentUpdate) Apply(inc *Incident) {
	if u.Title != nil {
		inc.Title = strings.TrimSpace(*u.Title)
	}
	if u.Severity != nil {
		inc.Severity = *u.Severity
	}
	if u.Status != nil {
		inc.Status = *u.Status
	}
}

// ValidateAuthor checks the name a change is recorded under.
func ValidateAuthor(name string) error {
	return validateLine("author", name, MaxAuthorBytes)
}

// validateLine checks a one-line, non-empty, valid UTF-8 string of at most max bytes.
func validateLine(what, s string, max int) error {
	switch {
	case strings.TrimSpace(s) == "":
		return Errorf(EINVALID, "%s is empty", what)
	case len(s) > max:
		return Errorf(EINVALID, "%s is %d bytes; the limit is %d", what, len(s), max)
	case !utf8.ValidString(s):
		return Errorf(EINVALID, "%s is not valid UTF-8 text", what)
	case strings.ContainsAny(s, "\x00\r\n"):
		return Errorf(EINVALID, "%s must be one line", what)
	}
	return nil
}

func oneOf[T comparable](v T, valid []T) bool {
	for _, x := range valid {
		if v == x {
			return true
		}
	}
	return false
}

func joinStrings[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

// DescribeIncidentChange says in one line what a change did to the incident, for the timeline
// entry it puts there: "Ana set the status to mitigated (was open); set the severity to critical".
func DescribeIncidentChange(by string, old, inc *Incident) string {
	var parts []string
	if old.Status != inc.Status {
		parts = append(parts, "set the status to "+string(inc.Status)+" (was "+string(old.Status)+")")
	}
	if old.Severity != inc.Severity {
		parts = append(parts, "set the severity to "+string(inc.Severity)+" (was "+string(old.Severity)+")")
	}
	if old.Title != inc.Title {
		parts = append(parts, "renamed the incident “"+old.Title+"” to “"+inc.Title+"”")
	}
	if len(parts) == 0 {
		return by + " changed the incident"
	}
	return by + " " + strings.Join(parts, "; ")
}
