package gitlabfake

// The GraphQL endpoint of the fake, POST /api/graphql, for the operations
// Blotter's sync needs:
//
//	mutation timelineEventCreate(input: TimelineEventCreateInput!)
//	mutation timelineEventUpdate(input: TimelineEventUpdateInput!)
//	mutation timelineEventDestroy(input: TimelineEventDestroyInput!)
//	mutation timelineEventPromoteFromNote(input: TimelineEventPromoteFromNoteInput!)
//	mutation issueSetSeverity(input: IssueSetSeverityInput!)
//	mutation issueSetEscalationStatus(input: IssueSetEscalationStatusInput!)
//	query    project(fullPath: ID!) { issue(iid: String) {...}
//	             incidentManagementTimelineEvents(incidentId: IssueID!, first: Int, after: String) {...}
//	             incidentManagementTimelineEvent(id: ..., incidentId: ...) {...}
//	             incidentManagementTimelineEventTags {...} }
//	query    currentUser {...}
//
// Reference: https://docs.gitlab.com/api/graphql/reference/ (types
// TimelineEventType, Issue, Project; mutations above) and GitLab's
// app/graphql/mutations/incident_management/timeline_event/*.rb.
//
// This is not a general GraphQL engine. It parses a document into
// operations, fields, aliases, arguments and selection sets, validates the
// selections and arguments against a small static schema (so an unknown
// field is a validation error and nothing is executed, as in GitLab), and
// coerces variables against the input types. Limitations:
//
//   - clients are expected to pass arguments as variables; literal argument
//     values are accepted and coerced, but with simpler error messages;
//   - fragments (named and inline), directives, subscriptions, batched
//     (array) requests and introspection (__schema, __type) are refused with
//     a top-level error; __typename is supported;
//   - variable default values are parsed but type-checked loosely;
//   - error messages follow graphql-ruby's wording for the common cases
//     (unknown field, invalid variable value, missing argument); the
//     `extensions` of errors are reduced;
//   - only the fields listed in gqlSchema exist.
//
// Mutation validation errors come back with HTTP 200 in the payload's
// `errors` list; authorization and not-found errors, malformed queries and
// invalid variables come back as top-level `errors`, also with HTTP 200. A
// wrong token is HTTP 401 {"errors":[{"message":"Invalid token"}]}.

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// gqlFieldDef is a field of the static schema: its type and its arguments'
// types, in GraphQL notation ("String!", "[String!]").
type gqlFieldDef struct {
	typ  string
	args map[string]string
}

// gqlSchema lists the object types and fields the fake serves.
var gqlSchema = map[string]map[string]gqlFieldDef{
	"Query": {
		"project":     {typ: "Project", args: map[string]string{"fullPath": "ID!"}},
		"currentUser": {typ: "CurrentUser"},
	},
	"Mutation": {
		"timelineEventCreate":          {typ: "TimelineEventCreatePayload", args: map[string]string{"input": "TimelineEventCreateInput!"}},
		"timelineEventUpdate":          {typ: "TimelineEventUpdatePayload", args: map[string]string{"input": "TimelineEventUpdateInput!"}},
		"timelineEventDestroy":         {typ: "TimelineEventDestroyPayload", args: map[string]string{"input": "TimelineEventDestroyInput!"}},
		"timelineEventPromoteFromNote": {typ: "TimelineEventPromoteFromNotePayload", args: map[string]string{"input": "TimelineEventPromoteFromNoteInput!"}},
		"issueSetSeverity":             {typ: "IssueSetSeverityPayload", args: map[string]string{"input": "IssueSetSeverityInput!"}},
		"issueSetEscalationStatus":     {typ: "IssueSetEscalationStatusPayload", args: map[string]string{"input": "IssueSetEscalationStatusInput!"}},
	},
	"Project": {
		"id": {typ: "ID!"}, "fullPath": {typ: "ID!"}, "name": {typ: "String!"}, "webUrl": {typ: "String"},
		"issue": {typ: "Issue", args: map[string]string{"iid": "String"}},
		"incidentManagementTimelineEvents": {typ: "TimelineEventTypeConnection", args: map[string]string{
			"incidentId": "IssueID!", "first": "Int", "after": "String"}},
		"incidentManagementTimelineEvent": {typ: "TimelineEventType", args: map[string]string{
			"id": "IncidentManagementTimelineEventID!", "incidentId": "IssueID!"}},
		"incidentManagementTimelineEventTags": {typ: "[TimelineEventTagType!]"},
	},
	"Issue": {
		"id": {typ: "ID!"}, "iid": {typ: "String!"}, "title": {typ: "String!"}, "description": {typ: "String"},
		"state": {typ: "IssueState!"}, "severity": {typ: "IssuableSeverity"}, "escalationStatus": {typ: "IssueEscalationStatus"},
		"type": {typ: "IssueType"}, "webUrl": {typ: "String!"}, "createdAt": {typ: "Time!"}, "updatedAt": {typ: "Time!"},
		"closedAt": {typ: "Time"}, "dueDate": {typ: "Time"}, "confidential": {typ: "Boolean!"}, "projectId": {typ: "Int!"},
		"author": {typ: "UserCore!"}, "assignees": {typ: "UserCoreConnection"}, "labels": {typ: "LabelConnection"},
		"userNotesCount": {typ: "Int!"},
	},
	"UserCore":           {"id": {typ: "ID!"}, "username": {typ: "String!"}, "name": {typ: "String!"}, "webUrl": {typ: "String!"}, "state": {typ: "UserState!"}},
	"CurrentUser":        {"id": {typ: "ID!"}, "username": {typ: "String!"}, "name": {typ: "String!"}, "webUrl": {typ: "String!"}, "state": {typ: "UserState!"}},
	"UserCoreConnection": {"nodes": {typ: "[UserCore]"}, "count": {typ: "Int!"}},
	"Label":              {"id": {typ: "ID!"}, "title": {typ: "String!"}},
	"LabelConnection":    {"nodes": {typ: "[Label]"}, "count": {typ: "Int!"}},
	"Note": {
		"id": {typ: "NoteID!"}, "body": {typ: "String!"}, "system": {typ: "Boolean!"}, "internal": {typ: "Boolean"},
		"createdAt": {typ: "Time!"}, "updatedAt": {typ: "Time!"}, "author": {typ: "UserCore"},
	},
	"TimelineEventType": {
		"id": {typ: "IncidentManagementTimelineEventID!"}, "action": {typ: "String!"}, "author": {typ: "UserCore"},
		"createdAt": {typ: "Time!"}, "editable": {typ: "Boolean!"}, "incident": {typ: "Issue!"}, "note": {typ: "String"},
		"noteHtml": {typ: "String"}, "occurredAt": {typ: "Time!"}, "promotedFromNote": {typ: "Note"},
		"timelineEventTags": {typ: "TimelineEventTagTypeConnection"}, "updatedAt": {typ: "Time!"},
		"updatedByUser": {typ: "UserCore"},
	},
	"TimelineEventTagType":           {"id": {typ: "IncidentManagementTimelineEventTagID!"}, "name": {typ: "String!"}},
	"TimelineEventTagTypeConnection": {"nodes": {typ: "[TimelineEventTagType]"}, "count": {typ: "Int!"}},
	"TimelineEventTypeConnection": {
		"nodes": {typ: "[TimelineEventType]"}, "edges": {typ: "[TimelineEventTypeEdge]"},
		"pageInfo": {typ: "PageInfo!"}, "count": {typ: "Int!"},
	},
	"TimelineEventTypeEdge": {"cursor": {typ: "String!"}, "node": {typ: "TimelineEventType"}},
	"PageInfo": {
		"hasNextPage": {typ: "Boolean!"}, "hasPreviousPage": {typ: "Boolean!"},
		"startCursor": {typ: "String"}, "endCursor": {typ: "String"},
	},
	"TimelineEventCreatePayload":          eventPayload,
	"TimelineEventUpdatePayload":          eventPayload,
	"TimelineEventDestroyPayload":         eventPayload,
	"TimelineEventPromoteFromNotePayload": eventPayload,
	"IssueSetSeverityPayload":             issuePayload,
	"IssueSetEscalationStatusPayload":     issuePayload,
}

var eventPayload = map[string]gqlFieldDef{
	"clientMutationId": {typ: "String"}, "errors": {typ: "[String!]!"}, "timelineEvent": {typ: "TimelineEventType"},
}

var issuePayload = map[string]gqlFieldDef{
	"clientMutationId": {typ: "String"}, "errors": {typ: "[String!]!"}, "issue": {typ: "Issue"},
}

// gqlInputs are the input object types, field by field.
var gqlInputs = map[string]map[string]string{
	"TimelineEventCreateInput": {
		"clientMutationId": "String", "incidentId": "IssueID!", "note": "String!", "occurredAt": "Time!",
		"timelineEventTagNames": "[String!]",
	},
	"TimelineEventUpdateInput": {
		"clientMutationId": "String", "id": "IncidentManagementTimelineEventID!", "note": "String",
		"occurredAt": "Time", "timelineEventTagNames": "[String!]",
	},
	"TimelineEventDestroyInput":         {"clientMutationId": "String", "id": "IncidentManagementTimelineEventID!"},
	"TimelineEventPromoteFromNoteInput": {"clientMutationId": "String", "noteId": "NoteID!"},
	"IssueSetSeverityInput": {
		"clientMutationId": "String", "projectPath": "ID!", "iid": "String!", "severity": "IssuableSeverity!",
	},
	"IssueSetEscalationStatusInput": {
		"clientMutationId": "String", "projectPath": "ID!", "iid": "String!", "status": "IssueEscalationStatus!",
	},
}

var gqlEnums = map[string][]string{
	"IssuableSeverity":      {"UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"},
	"IssueEscalationStatus": {"TRIGGERED", "ACKNOWLEDGED", "RESOLVED", "IGNORED"},
	"IssueState":            {"opened", "closed", "locked", "all"},
	"IssueType":             {"ISSUE", "INCIDENT", "TEST_CASE", "REQUIREMENT", "TASK"},
	"UserState":             {"active", "blocked", "deactivated"},
}

// gqlGlobalIDs maps GlobalID scalar types to the model they name.
var gqlGlobalIDs = map[string]string{
	"IssueID":                              "Issue",
	"NoteID":                               "Note",
	"IncidentManagementTimelineEventID":    "IncidentManagement::TimelineEvent",
	"IncidentManagementTimelineEventTagID": "IncidentManagement::TimelineEventTag",
}

var gqlScalars = map[string]bool{"String": true, "ID": true, "Int": true, "Float": true, "Boolean": true, "Time": true}

func isLeafType(named string) bool {
	_, enum := gqlEnums[named]
	_, gid := gqlGlobalIDs[named]
	return gqlScalars[named] || enum || gid
}

// namedType strips list and non-null markers: "[String!]!" -> "String".
func namedType(t string) string { return strings.Trim(t, "[]!") }

// graphqlEndpoint reads and parses a GraphQL request so that faults and
// counters can be keyed by its root fields.
func (s *Server) graphqlEndpoint(r *http.Request) endpoint {
	req, perr := readGraphQLRequest(r)
	var doc *gqlDocument
	var op *gqlOperation
	if perr == nil {
		doc, perr = parseGraphQL(req.Query)
	}
	if perr == nil {
		op, perr = doc.operation(req.OperationName)
	}
	if perr == nil && r.Method == http.MethodGet && op.kind == "mutation" {
		perr = &gqlError{Message: "Mutations are forbidden in GET requests"}
	}
	if perr != nil {
		return endpoint{keys: []string{"graphql:invalid"}, handle: func(w http.ResponseWriter, r *http.Request) {
			s.serveGraphQLError(w, r, perr)
		}}
	}
	var keys []string
	for _, f := range op.sel {
		keys = append(keys, "graphql:"+f.name)
	}
	return endpoint{keys: keys, write: op.kind == "mutation", handle: func(w http.ResponseWriter, r *http.Request) {
		s.serveGraphQL(w, r, op, req.Variables)
	}}
}

func readGraphQLRequest(r *http.Request) (*gqlRequest, *gqlError) {
	req := &gqlRequest{}
	if r.Method == http.MethodGet {
		req.Query = r.URL.Query().Get("query")
		req.OperationName = r.URL.Query().Get("operationName")
		if v := r.URL.Query().Get("variables"); v != "" {
			if err := json.Unmarshal([]byte(v), &req.Variables); err != nil {
				return nil, &gqlError{Message: "Unexpected end of document"}
			}
		}
	} else {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, &gqlError{Message: "could not read the request"}
		}
		if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '[' {
			return nil, &gqlError{Message: "batched (multiplexed) queries are not supported by this fake"}
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(req); err != nil {
			return nil, &gqlError{Message: "Unexpected end of document"}
		}
	}
	if strings.TrimSpace(req.Query) == "" {
		return nil, &gqlError{Message: "No query string was present"}
	}
	return req, nil
}

// serveGraphQLError answers a request that could not be parsed, after the
// token check GitLab does first.
func (s *Server) serveGraphQLError(w http.ResponseWriter, r *http.Request, e *gqlError) {
	s.mu.Lock()
	status, body := s.graphqlAuthLocked(r)
	s.mu.Unlock()
	if status != 0 {
		writeJSON(w, status, body)
		return
	}
	writeJSON(w, 200, gqlResponse{Errors: []*gqlError{e}})
}

// graphqlAuthLocked rejects a request with an invalid token (401) or past
// the request limit (429); a missing token is anonymous access.
func (s *Server) graphqlAuthLocked(r *http.Request) (int, any) {
	v := requestToken(r)
	if v == "" {
		return 0, nil
	}
	t, ok := s.tokens[v]
	if !ok || t.revoked {
		return 401, gqlResponse{Errors: []*gqlError{{Message: "Invalid token"}}}
	}
	if exceeded, _ := s.countRequestLocked(t.user); exceeded {
		return 429, gqlResponse{Errors: []*gqlError{{Message: "Retry later"}}}
	}
	return 0, nil
}

// serveGraphQL validates and executes one operation.
func (s *Server) serveGraphQL(w http.ResponseWriter, r *http.Request, op *gqlOperation, vars map[string]any) {
	resp, status, body := func() (*gqlResponse, int, any) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if status, body := s.graphqlAuthLocked(r); status != 0 {
			return nil, status, body
		}
		var tok *token
		if t, ok := s.tokens[requestToken(r)]; ok {
			tok = t
		}
		ex := &gqlExecutor{s: s, op: op, tok: tok}
		// Validate everything before executing anything.
		if errs := ex.validate(vars); len(errs) > 0 {
			return &gqlResponse{Errors: errs}, 0, nil
		}
		return ex.execute(), 0, nil
	}()
	if status != 0 {
		writeJSON(w, status, body)
		return
	}
	writeJSON(w, 200, resp)
}

// gqlExecutor runs one operation with s.mu held.
type gqlExecutor struct {
	s      *Server
	op     *gqlOperation
	tok    *token
	raw    map[string]any // variables as sent
	vars   map[string]any // variables coerced to their declared types
	errors []*gqlError
}

// validate checks the variables, the selections and the arguments against
// the schema, and coerces argument values.
func (ex *gqlExecutor) validate(raw map[string]any) []*gqlError {
	var errs []*gqlError
	opName := ex.op.name
	if opName == "" {
		opName = "anonymous " + ex.op.kind
	}

	// Variables: declared ones are coerced to their declared type.
	ex.raw = raw
	ex.vars = map[string]any{}
	used := map[string]bool{}
	ex.op.walk(func(f *gqlField) {
		for _, a := range f.args {
			a.val.vars(used)
		}
	})
	for _, name := range ex.op.varOrder {
		def := ex.op.vars[name]
		if !used[name] {
			errs = append(errs, &gqlError{Message: fmt.Sprintf("Variable $%s is declared by %s but not used", name, opName), Locations: def.locs()})
			continue
		}
		v, present := raw[name]
		if !present && def.hasDefault {
			v, present = def.def.resolve(nil), true
		}
		if !present && !strings.HasSuffix(def.typ, "!") {
			continue
		}
		cv, problems := coerceInput(def.typ, v, nil)
		if len(problems) > 0 {
			errs = append(errs, variableError(name, def, v, problems))
			continue
		}
		ex.vars[name] = cv
	}
	for name := range used {
		if _, ok := ex.op.vars[name]; !ok {
			errs = append(errs, &gqlError{Message: fmt.Sprintf("Variable $%s is used by %s but not declared", name, opName)})
		}
	}

	// Selections and arguments.
	root := "Query"
	if ex.op.kind == "mutation" {
		root = "Mutation"
	}
	var check func(typ string, sel []*gqlField)
	check = func(typ string, sel []*gqlField) {
		fields := gqlSchema[typ]
		for _, f := range sel {
			if f.name == "__typename" {
				continue
			}
			if strings.HasPrefix(f.name, "__") {
				errs = append(errs, &gqlError{Message: "Introspection is not supported by this fake", Locations: f.locs()})
				continue
			}
			def, ok := fields[f.name]
			if !ok {
				errs = append(errs, &gqlError{Message: fmt.Sprintf("Field '%s' doesn't exist on type '%s'", f.name, typ), Locations: f.locs()})
				continue
			}
			errs = append(errs, ex.checkArgs(f, def)...)
			named := namedType(def.typ)
			switch {
			case isLeafType(named) && len(f.sel) > 0:
				errs = append(errs, &gqlError{Message: fmt.Sprintf("Selections can't be made on scalars (field '%s' returns %s but has selections [%s])", f.name, named, f.selNames()), Locations: f.locs()})
			case !isLeafType(named) && len(f.sel) == 0:
				errs = append(errs, &gqlError{Message: fmt.Sprintf("Field must have selections (field '%s' returns %s but has no selections. Did you mean '%s { ... }'?)", f.name, named, f.name), Locations: f.locs()})
			case !isLeafType(named):
				check(named, f.sel)
			}
		}
	}
	check(root, ex.op.sel)
	return errs
}

// checkArgs validates a field's arguments and stores their coerced values.
func (ex *gqlExecutor) checkArgs(f *gqlField, def gqlFieldDef) []*gqlError {
	var errs []*gqlError
	f.argVals = map[string]any{}
	given := map[string]bool{}
	for _, a := range f.args {
		given[a.name] = true
		typ, ok := def.args[a.name]
		if !ok {
			errs = append(errs, &gqlError{Message: fmt.Sprintf("Field '%s' doesn't accept argument '%s'", f.name, a.name), Locations: f.locs()})
			continue
		}
		if a.val.kind == gqlVarRef {
			vdef, declared := ex.op.vars[a.val.name]
			if !declared {
				continue // reported with the variables
			}
			if vdef.typ != typ && vdef.typ != typ+"!" {
				errs = append(errs, &gqlError{Message: fmt.Sprintf("Type mismatch on variable $%s and argument %s (%s / %s)", a.val.name, a.name, vdef.typ, typ), Locations: f.locs()})
				continue
			}
			if v, ok := ex.vars[a.val.name]; ok {
				f.argVals[a.name] = v
			}
			continue
		}
		// A literal (possibly holding variables) is coerced as a whole.
		lit := a.val.resolve(ex.raw)
		cv, problems := coerceInput(typ, lit, nil)
		if len(problems) > 0 {
			errs = append(errs, &gqlError{Message: fmt.Sprintf("Argument '%s' on Field '%s' has an invalid value (%s). Expected type '%s'.", a.name, f.name, a.val.String(), typ), Locations: f.locs()})
			continue
		}
		f.argVals[a.name] = cv
	}
	var missingArgs []string
	for name, typ := range def.args {
		if strings.HasSuffix(typ, "!") && !given[name] {
			missingArgs = append(missingArgs, name)
		}
	}
	if len(missingArgs) > 0 {
		sort.Strings(missingArgs)
		errs = append(errs, &gqlError{Message: fmt.Sprintf("Field '%s' is missing required arguments: %s", f.name, strings.Join(missingArgs, ", ")), Locations: f.locs()})
	}
	return errs
}

// variableError formats graphql-ruby's message for an invalid variable.
func variableError(name string, def *gqlVarDef, value any, problems []gqlProblem) *gqlError {
	msg := fmt.Sprintf("Variable $%s of type %s was provided invalid value", name, def.typ)
	if len(problems) > 0 && len(problems[0].Path) > 0 {
		var parts []string
		for _, p := range problems {
			parts = append(parts, fmt.Sprintf("%s (%s)", joinPath(p.Path), p.Explanation))
		}
		msg += " for " + strings.Join(parts, ", ")
	} else if len(problems) > 0 && problems[0].Explanation != "" {
		msg += " (" + problems[0].Explanation + ")"
	}
	return &gqlError{Message: msg, Locations: def.locs(), Extensions: map[string]any{"value": value, "problems": problems}}
}

func joinPath(p []any) string {
	parts := make([]string, len(p))
	for i, x := range p {
		parts[i] = fmt.Sprint(x)
	}
	return strings.Join(parts, ".")
}

// gqlProblem is one reason a value does not fit its type.
type gqlProblem struct {
	Path        []any  `json:"path"`
	Explanation string `json:"explanation"`
}

// coerceInput checks a JSON value against an input type and converts it:
// times to time.Time, global IDs to ints, numbers and IDs to strings.
func coerceInput(typ string, v any, path []any) (any, []gqlProblem) {
	nonNull := strings.HasSuffix(typ, "!")
	t := strings.TrimSuffix(typ, "!")
	if v == nil {
		if nonNull {
			return nil, []gqlProblem{{Path: path, Explanation: "Expected value to not be null"}}
		}
		return nil, nil
	}
	if strings.HasPrefix(t, "[") {
		elem := t[1 : len(t)-1]
		list, ok := v.([]any)
		if !ok {
			list = []any{v} // GraphQL coerces a single value to a list
		}
		out := make([]any, 0, len(list))
		var problems []gqlProblem
		for i, x := range list {
			cv, p := coerceInput(elem, x, append(append([]any(nil), path...), i))
			problems = append(problems, p...)
			out = append(out, cv)
		}
		return out, problems
	}
	if fields, ok := gqlInputs[t]; ok {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, []gqlProblem{{Path: path, Explanation: fmt.Sprintf("Expected %s to be a key-value object.", jsonString(v))}}
		}
		out := map[string]any{}
		var problems []gqlProblem
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if _, ok := fields[k]; !ok {
				problems = append(problems, gqlProblem{Path: append(append([]any(nil), path...), k), Explanation: "Field is not defined on " + t})
			}
		}
		names := make([]string, 0, len(fields))
		for k := range fields {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			x, present := m[k]
			if !present {
				if strings.HasSuffix(fields[k], "!") {
					problems = append(problems, gqlProblem{Path: append(append([]any(nil), path...), k), Explanation: "Expected value to not be null"})
				}
				continue
			}
			cv, p := coerceInput(fields[k], x, append(append([]any(nil), path...), k))
			problems = append(problems, p...)
			out[k] = cv
		}
		return out, problems
	}
	bad := func(msg string) (any, []gqlProblem) { return nil, []gqlProblem{{Path: path, Explanation: msg}} }
	if values, ok := gqlEnums[t]; ok {
		s, isStr := v.(string)
		for _, ev := range values {
			if isStr && s == ev {
				return s, nil
			}
		}
		return bad(fmt.Sprintf("Expected %s to be one of: %s", jsonString(v), strings.Join(values, ", ")))
	}
	if model, ok := gqlGlobalIDs[t]; ok {
		s, isStr := v.(string)
		if !isStr {
			return bad(fmt.Sprintf("Could not coerce value %s to %s", jsonString(v), t))
		}
		m := gidPattern.FindStringSubmatch(s)
		if m == nil {
			return bad(fmt.Sprintf("%q is not a valid Global ID", s))
		}
		if m[1] != model {
			return bad(fmt.Sprintf("%q does not represent an instance of %s", s, model))
		}
		n, _ := strconv.Atoi(m[2])
		return n, nil
	}
	switch t {
	case "String":
		if s, ok := v.(string); ok {
			return s, nil
		}
		return bad(fmt.Sprintf("Could not coerce value %s to String", jsonString(v)))
	case "ID":
		switch x := v.(type) {
		case string:
			return x, nil
		case json.Number:
			if _, err := x.Int64(); err == nil {
				return x.String(), nil
			}
		case float64:
			if x == float64(int64(x)) {
				return strconv.FormatInt(int64(x), 10), nil
			}
		}
		return bad(fmt.Sprintf("Could not coerce value %s to ID", jsonString(v)))
	case "Int":
		switch x := v.(type) {
		case json.Number:
			if n, err := x.Int64(); err == nil {
				return int(n), nil
			}
		case float64:
			if x == float64(int64(x)) {
				return int(x), nil
			}
		case int:
			return x, nil
		}
		return bad(fmt.Sprintf("Could not coerce value %s to Int", jsonString(v)))
	case "Boolean":
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return bad(fmt.Sprintf("Could not coerce value %s to Boolean", jsonString(v)))
	case "Time":
		s, ok := v.(string)
		if !ok {
			return bad(fmt.Sprintf("Could not coerce value %s to Time", jsonString(v)))
		}
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			// Approximate wording; GitLab's TimeType also accepts other
			// ISO 8601 forms.
			return bad(fmt.Sprintf("%q is not a valid ISO-8601 time", s))
		}
		return tm, nil
	}
	return bad("unknown type " + t)
}

var gidPattern = regexp.MustCompile(`^gid://gitlab/([A-Za-z:]+)/(\d+)$`)

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// execute runs the validated operation's root fields in order.
func (ex *gqlExecutor) execute() *gqlResponse {
	data := &orderedObject{}
	for _, f := range ex.op.sel {
		var v any
		if f.name == "__typename" {
			v = map[string]string{"query": "Query", "mutation": "Mutation"}[ex.op.kind]
		} else {
			root, err := ex.resolveRoot(f)
			if err != nil {
				err.Path = []any{f.key()}
				err.Locations = f.locs()
				ex.errors = append(ex.errors, err)
			} else {
				v = ex.project(root, f.sel, []any{f.key()})
			}
		}
		data.set(f.key(), v)
	}
	return &gqlResponse{Data: data, Errors: ex.errors}
}

// project shapes a resolved value to a selection set.
func (ex *gqlExecutor) project(v any, sel []*gqlField, path []any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case *gqlObject:
		if x == nil {
			return nil
		}
		out := &orderedObject{}
		for _, f := range sel {
			p := append(append([]any(nil), path...), f.key())
			if f.name == "__typename" {
				out.set(f.key(), x.typ)
				continue
			}
			val, err := x.get(f.name, f.argVals)
			if err != nil {
				err.Path, err.Locations = p, f.locs()
				ex.errors = append(ex.errors, err)
				out.set(f.key(), nil)
				continue
			}
			out.set(f.key(), ex.project(val, f.sel, p))
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = ex.project(e, sel, append(append([]any(nil), path...), i))
		}
		return out
	}
	return v
}

// gqlObject is a resolved object: its GraphQL type and a field getter.
type gqlObject struct {
	typ string
	get func(field string, args map[string]any) (any, *gqlError)
}

// staticObject is an object whose fields are plain values.
func staticObject(typ string, fields map[string]any) *gqlObject {
	return &gqlObject{typ: typ, get: func(f string, _ map[string]any) (any, *gqlError) { return fields[f], nil }}
}

func (ex *gqlExecutor) user() *User {
	if ex.tok == nil {
		return nil
	}
	return ex.tok.user
}

// canRead and canWrite apply the token's scopes to GraphQL.
func (ex *gqlExecutor) canRead() bool {
	if ex.tok == nil {
		return false
	}
	ok, _ := hasScope(ex.tok.scopes, false, false)
	return ok
}

func (ex *gqlExecutor) canWrite() bool {
	if ex.tok == nil {
		return false
	}
	ok, _ := hasScope(ex.tok.scopes, true, false)
	return ok
}

func accessError() *gqlError { return &gqlError{Message: resourceAccessError} }

// resolveRoot runs a root field: a query entry point or a mutation.
func (ex *gqlExecutor) resolveRoot(f *gqlField) (any, *gqlError) {
	s := ex.s
	in, _ := f.argVals["input"].(map[string]any)
	switch f.name {
	case "currentUser":
		if ex.tok == nil {
			return nil, nil
		}
		o := ex.userObj(ex.tok.user.Username)
		o.typ = "CurrentUser"
		return o, nil
	case "project":
		if !ex.canRead() {
			return nil, nil
		}
		p, ok := s.projectPath[f.argVals["fullPath"].(string)]
		if !ok {
			return nil, nil
		}
		return ex.projectObj(p), nil
	}

	// Mutations need a token with the api scope. GitLab refuses them for a
	// read_api token; the exact error was not checked against its source,
	// the fake answers its usual resource-access error.
	if !ex.canWrite() {
		return nil, accessError()
	}
	u := ex.user()
	switch f.name {
	case "timelineEventCreate":
		is, ok := s.issues[in["incidentId"].(int)]
		if !ok {
			return nil, accessError()
		}
		ev, err := s.createEventLocked(is, u, in["note"].(string), in["occurredAt"].(time.Time), stringList(in["timelineEventTagNames"]), nil)
		if err == nil {
			s.creates["timeline_event"]++
		}
		return ex.eventPayload("TimelineEventCreatePayload", in, ev, err)
	case "timelineEventUpdate":
		ev, ok := s.events[in["id"].(int)]
		if !ok {
			return nil, accessError()
		}
		var note *string
		if v, ok := in["note"].(string); ok {
			note = &v
		}
		var at *time.Time
		if v, ok := in["occurredAt"].(time.Time); ok {
			at = &v
		}
		var tags *[]string
		if v, present := in["timelineEventTagNames"]; present && v != nil {
			l := stringList(v)
			tags = &l
		}
		err := s.updateEventLocked(ev, u, note, at, tags)
		if err != nil {
			return ex.eventPayload("TimelineEventUpdatePayload", in, nil, err)
		}
		return ex.eventPayload("TimelineEventUpdatePayload", in, ev, nil)
	case "timelineEventDestroy":
		ev, ok := s.events[in["id"].(int)]
		if !ok {
			return nil, accessError()
		}
		gone := *ev
		s.destroyEventLocked(ev, u)
		return ex.eventPayload("TimelineEventDestroyPayload", in, &gone, nil)
	case "timelineEventPromoteFromNote":
		n, ok := s.notes[in["noteId"].(int)]
		if !ok {
			return nil, accessError()
		}
		ev, err := s.promoteNoteLocked(n, u)
		if err == nil {
			s.creates["timeline_event"]++
		}
		return ex.eventPayload("TimelineEventPromoteFromNotePayload", in, ev, err)
	case "issueSetSeverity", "issueSetEscalationStatus":
		is := s.issueByPath(in["projectPath"].(string), atoi(in["iid"].(string)))
		if is == nil {
			return nil, accessError()
		}
		if f.name == "issueSetSeverity" {
			s.setSeverityLocked(is, u, in["severity"].(string))
		} else if msg := s.setEscalationStatusLocked(is, u, in["status"].(string)); msg != "" {
			return nil, &gqlError{Message: msg}
		}
		typ := "IssueSetSeverityPayload"
		if f.name == "issueSetEscalationStatus" {
			typ = "IssueSetEscalationStatusPayload"
		}
		return staticObject(typ, map[string]any{
			"clientMutationId": in["clientMutationId"], "errors": []any{}, "issue": ex.issueObj(is),
		}), nil
	}
	return nil, &gqlError{Message: "Field '" + f.name + "' is not implemented by this fake"}
}

func (ex *gqlExecutor) eventPayload(typ string, in map[string]any, ev *TimelineEvent, err *eventError) (any, *gqlError) {
	if err != nil && err.topLevel != "" {
		return nil, &gqlError{Message: err.topLevel}
	}
	errs := []any{}
	var obj any
	if err != nil {
		for _, m := range err.payload {
			errs = append(errs, m)
		}
	} else if ev != nil {
		obj = ex.eventObj(ev)
	}
	return staticObject(typ, map[string]any{"clientMutationId": in["clientMutationId"], "errors": errs, "timelineEvent": obj}), nil
}

func stringList(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func gid(model string, id int) string { return fmt.Sprintf("gid://gitlab/%s/%d", model, id) }

// gqlTime formats times as GitLab's GraphQL Time scalar: ISO 8601 in UTC,
// to the second.
func gqlTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func (ex *gqlExecutor) userObj(username string) *gqlObject {
	u, ok := ex.s.userByName[username]
	if !ok {
		return nil
	}
	return staticObject("UserCore", map[string]any{
		"id": gid("User", u.ID), "username": u.Username, "name": u.Name,
		"webUrl": ex.s.ts.URL + "/" + u.Username, "state": "active",
	})
}

func (ex *gqlExecutor) projectObj(p *Project) *gqlObject {
	s := ex.s
	return &gqlObject{typ: "Project", get: func(f string, args map[string]any) (any, *gqlError) {
		switch f {
		case "id":
			return gid("Project", p.ID), nil
		case "fullPath":
			return p.Path, nil
		case "name":
			return p.Name, nil
		case "webUrl":
			return p.WebURL, nil
		case "issue":
			iid, _ := args["iid"].(string)
			is := s.issueByIID(p.ID, atoi(iid))
			if is == nil {
				return nil, nil
			}
			return ex.issueObj(is), nil
		case "incidentManagementTimelineEventTags":
			var out []any
			for _, t := range s.tags[p.ID] {
				out = append(out, staticObject("TimelineEventTagType", map[string]any{
					"id": gid("IncidentManagement::TimelineEventTag", t.id), "name": t.name}))
			}
			return nonNil(out), nil
		case "incidentManagementTimelineEvent":
			is, ok := s.issues[args["incidentId"].(int)]
			ev, ok2 := s.events[args["id"].(int)]
			if !ok || !ok2 || is.ProjectID != p.ID || ev.IssueID != is.ID {
				return nil, nil
			}
			return ex.eventObj(ev), nil
		case "incidentManagementTimelineEvents":
			// GitLab finds the incident by its global id alone.
			var events []*TimelineEvent
			if is, ok := s.issues[args["incidentId"].(int)]; ok {
				events = s.eventsOf(is)
			}
			return ex.eventConnection(events, args), nil
		}
		return nil, nil
	}}
}

// eventConnection pages timeline events: first (at most 100, GitLab's
// maximum page size) after an opaque cursor.
func (ex *gqlExecutor) eventConnection(events []*TimelineEvent, args map[string]any) *gqlObject {
	first := 100
	if n, ok := args["first"].(int); ok && n >= 0 && n < first {
		first = n
	}
	start := 0
	if after, ok := args["after"].(string); ok && after != "" {
		if id, ok := decodeCursor(after); ok {
			for i, e := range events {
				if e.ID == id {
					start = i + 1
				}
			}
		}
	}
	end := start + first
	if end > len(events) {
		end = len(events)
	}
	page := events[start:end]
	nodes := []any{}
	edges := []any{}
	for _, e := range page {
		nodes = append(nodes, ex.eventObj(e))
		edges = append(edges, staticObject("TimelineEventTypeEdge", map[string]any{"cursor": encodeCursor(e.ID), "node": ex.eventObj(e)}))
	}
	var startCursor, endCursor any
	if len(page) > 0 {
		startCursor, endCursor = encodeCursor(page[0].ID), encodeCursor(page[len(page)-1].ID)
	}
	return staticObject("TimelineEventTypeConnection", map[string]any{
		"nodes": nodes, "edges": edges, "count": len(events),
		"pageInfo": staticObject("PageInfo", map[string]any{
			"hasNextPage": end < len(events), "hasPreviousPage": start > 0,
			"startCursor": startCursor, "endCursor": endCursor,
		}),
	})
}

func encodeCursor(id int) string {
	return base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf(`{"id":"%d"}`, id)))
}

func decodeCursor(c string) (int, bool) {
	b, err := base64.StdEncoding.DecodeString(c)
	if err != nil {
		return 0, false
	}
	var v struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(b, &v) != nil {
		return 0, false
	}
	n, err := strconv.Atoi(v.ID)
	return n, err == nil
}

func (ex *gqlExecutor) issueObj(is *Issue) *gqlObject {
	s := ex.s
	return &gqlObject{typ: "Issue", get: func(f string, _ map[string]any) (any, *gqlError) {
		switch f {
		case "id":
			return gid("Issue", is.ID), nil
		case "iid":
			return strconv.Itoa(is.IID), nil
		case "title":
			return is.Title, nil
		case "description":
			return is.Description, nil
		case "state":
			return is.State, nil
		case "severity":
			return is.Severity, nil
		case "escalationStatus":
			if is.EscalationStatus == "" {
				return nil, nil
			}
			return is.EscalationStatus, nil
		case "type":
			return strings.ToUpper(is.IssueType), nil
		case "webUrl":
			return fmt.Sprintf("%s/-/issues/%d", s.projects[is.ProjectID].WebURL, is.IID), nil
		case "createdAt":
			return gqlTime(is.CreatedAt), nil
		case "updatedAt":
			return gqlTime(is.UpdatedAt), nil
		case "closedAt":
			if is.ClosedAt == nil {
				return nil, nil
			}
			return gqlTime(*is.ClosedAt), nil
		case "dueDate":
			if is.DueDate == "" {
				return nil, nil
			}
			return is.DueDate + "T00:00:00Z", nil
		case "confidential":
			return is.Confidential, nil
		case "projectId":
			return is.ProjectID, nil
		case "userNotesCount":
			n := 0
			for _, note := range s.notesOf(is) {
				if !note.System {
					n++
				}
			}
			return n, nil
		case "author":
			return ex.userObj(is.Author), nil
		case "assignees":
			nodes := []any{}
			for _, a := range is.Assignees {
				nodes = append(nodes, ex.userObj(a))
			}
			return staticObject("UserCoreConnection", map[string]any{"nodes": nodes, "count": len(nodes)}), nil
		case "labels":
			nodes := []any{}
			for i, l := range is.Labels {
				nodes = append(nodes, staticObject("Label", map[string]any{"id": gid("ProjectLabel", is.ID*100+i), "title": l}))
			}
			return staticObject("LabelConnection", map[string]any{"nodes": nodes, "count": len(nodes)}), nil
		}
		return nil, nil
	}}
}

func (ex *gqlExecutor) noteObj(n *Note) *gqlObject {
	return staticObject("Note", map[string]any{
		"id": gid("Note", n.ID), "body": n.Body, "system": n.System, "internal": n.Internal,
		"createdAt": gqlTime(n.CreatedAt), "updatedAt": gqlTime(n.UpdatedAt), "author": ex.userObj(n.Author),
	})
}

func (ex *gqlExecutor) eventObj(ev *TimelineEvent) *gqlObject {
	s := ex.s
	ev2 := *ev // a snapshot: a destroyed event can still be answered
	ev2.Tags = append([]string(nil), ev.Tags...)
	return &gqlObject{typ: "TimelineEventType", get: func(f string, _ map[string]any) (any, *gqlError) {
		switch f {
		case "id":
			return gid("IncidentManagement::TimelineEvent", ev2.ID), nil
		case "action":
			return ev2.Action, nil
		case "author":
			return ex.userObj(ev2.Author), nil
		case "createdAt":
			return gqlTime(ev2.CreatedAt), nil
		case "updatedAt":
			return gqlTime(ev2.UpdatedAt), nil
		case "editable":
			return ev2.Editable, nil
		case "incident":
			if is, ok := s.issues[ev2.IssueID]; ok {
				return ex.issueObj(is), nil
			}
			return nil, nil
		case "note":
			return ev2.Note, nil
		case "noteHtml":
			return ev2.NoteHTML, nil
		case "occurredAt":
			return gqlTime(ev2.OccurredAt), nil
		case "promotedFromNote":
			if n, ok := s.notes[ev2.PromotedFromNoteID]; ok {
				return ex.noteObj(n), nil
			}
			return nil, nil
		case "updatedByUser":
			if ev2.UpdatedBy == "" {
				return nil, nil
			}
			return ex.userObj(ev2.UpdatedBy), nil
		case "timelineEventTags":
			nodes := []any{}
			for _, name := range ev2.Tags {
				t := s.tagLocked(ev2.ProjectID, name, false)
				id := 0
				if t != nil {
					id = t.id
				}
				nodes = append(nodes, staticObject("TimelineEventTagType", map[string]any{
					"id": gid("IncidentManagement::TimelineEventTag", id), "name": name}))
			}
			return staticObject("TimelineEventTagTypeConnection", map[string]any{"nodes": nodes, "count": len(nodes)}), nil
		}
		return nil, nil
	}}
}

// The parser.

type gqlDocument struct {
	ops []*gqlOperation
}

type gqlOperation struct {
	kind     string // query or mutation
	name     string
	vars     map[string]*gqlVarDef
	varOrder []string
	sel      []*gqlField
}

type gqlVarDef struct {
	typ        string
	def        gqlValue
	hasDefault bool
	line, col  int
}

func (d *gqlVarDef) locs() []gqlLocation { return []gqlLocation{{Line: d.line, Column: d.col}} }

type gqlField struct {
	alias, name string
	args        []gqlArg
	sel         []*gqlField
	line, col   int
	argVals     map[string]any // coerced during validation
}

func (f *gqlField) key() string {
	if f.alias != "" {
		return f.alias
	}
	return f.name
}

func (f *gqlField) locs() []gqlLocation { return []gqlLocation{{Line: f.line, Column: f.col}} }

func (f *gqlField) selNames() string {
	names := make([]string, len(f.sel))
	for i, s := range f.sel {
		names[i] = s.name
	}
	return strings.Join(names, ", ")
}

func (op *gqlOperation) walk(fn func(*gqlField)) {
	var rec func([]*gqlField)
	rec = func(sel []*gqlField) {
		for _, f := range sel {
			fn(f)
			rec(f.sel)
		}
	}
	rec(op.sel)
}

type gqlArg struct {
	name string
	val  gqlValue
}

type gqlValueKind int

const (
	gqlVarRef gqlValueKind = iota + 1
	gqlLiteral
	gqlList
	gqlObjectValue
)

// gqlValue is an argument value: a variable reference or a literal.
type gqlValue struct {
	kind   gqlValueKind
	name   string // variable name
	lit    any    // scalar literal: string, json.Number, bool, nil (enums as strings)
	raw    string // source text of a scalar literal
	list   []gqlValue
	fields map[string]gqlValue
}

func (v gqlValue) vars(into map[string]bool) {
	switch v.kind {
	case gqlVarRef:
		into[v.name] = true
	case gqlList:
		for _, x := range v.list {
			x.vars(into)
		}
	case gqlObjectValue:
		for _, x := range v.fields {
			x.vars(into)
		}
	}
}

// resolve turns a value into JSON-like data, reading variables.
func (v gqlValue) resolve(vars map[string]any) any {
	switch v.kind {
	case gqlVarRef:
		return vars[v.name]
	case gqlList:
		out := make([]any, len(v.list))
		for i, x := range v.list {
			out[i] = x.resolve(vars)
		}
		return out
	case gqlObjectValue:
		out := map[string]any{}
		for k, x := range v.fields {
			out[k] = x.resolve(vars)
		}
		return out
	}
	return v.lit
}

func (v gqlValue) String() string {
	switch v.kind {
	case gqlVarRef:
		return "$" + v.name
	case gqlList:
		parts := make([]string, len(v.list))
		for i, x := range v.list {
			parts[i] = x.String()
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case gqlObjectValue:
		keys := make([]string, 0, len(v.fields))
		for k := range v.fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ": " + v.fields[k].String()
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return v.raw
}

func (d *gqlDocument) operation(name string) (*gqlOperation, *gqlError) {
	if name != "" {
		for _, op := range d.ops {
			if op.name == name {
				return op, nil
			}
		}
		return nil, &gqlError{Message: fmt.Sprintf("No operation named %q", name)}
	}
	if len(d.ops) > 1 {
		return nil, &gqlError{Message: "An operation name is required"}
	}
	return d.ops[0], nil
}

type gqlToken struct {
	kind      byte // 'n' name, 'i' int, 'f' float, 's' string, 'p' punctuator, 0 EOF
	val       string
	line, col int
}

type gqlParser struct {
	toks []gqlToken
	pos  int
}

// parseGraphQL parses a document into operations.
func parseGraphQL(src string) (*gqlDocument, *gqlError) {
	toks, err := lexGraphQL(src)
	if err != nil {
		return nil, err
	}
	p := &gqlParser{toks: toks}
	doc := &gqlDocument{}
	for p.peek().kind != 0 {
		op, err := p.operation()
		if err != nil {
			return nil, err
		}
		doc.ops = append(doc.ops, op)
	}
	if len(doc.ops) == 0 {
		return nil, &gqlError{Message: "No query string was present"}
	}
	return doc, nil
}

func (p *gqlParser) peek() gqlToken { return p.toks[p.pos] }

func (p *gqlParser) next() gqlToken {
	t := p.toks[p.pos]
	if t.kind != 0 {
		p.pos++
	}
	return t
}

func (p *gqlParser) unexpected(t gqlToken) *gqlError {
	v := t.val
	if t.kind == 0 {
		return &gqlError{Message: "Unexpected end of document", Locations: []gqlLocation{{Line: t.line, Column: t.col}}}
	}
	return &gqlError{Message: fmt.Sprintf("Parse error on %q at [%d, %d]", v, t.line, t.col), Locations: []gqlLocation{{Line: t.line, Column: t.col}}}
}

func (p *gqlParser) expect(punct string) *gqlError {
	t := p.next()
	if t.kind != 'p' || t.val != punct {
		return p.unexpected(t)
	}
	return nil
}

func (p *gqlParser) isPunct(v string) bool {
	t := p.peek()
	return t.kind == 'p' && t.val == v
}

func (p *gqlParser) operation() (*gqlOperation, *gqlError) {
	op := &gqlOperation{kind: "query", vars: map[string]*gqlVarDef{}}
	t := p.peek()
	if t.kind == 'n' {
		switch t.val {
		case "query", "mutation":
			op.kind = t.val
		case "subscription":
			return nil, &gqlError{Message: "Subscriptions are not supported by this fake", Locations: []gqlLocation{{Line: t.line, Column: t.col}}}
		case "fragment":
			return nil, &gqlError{Message: "Fragments are not supported by this fake", Locations: []gqlLocation{{Line: t.line, Column: t.col}}}
		default:
			return nil, p.unexpected(t)
		}
		p.next()
		if p.peek().kind == 'n' {
			op.name = p.next().val
		}
		if p.isPunct("(") {
			p.next()
			for !p.isPunct(")") {
				if err := p.expect("$"); err != nil {
					return nil, err
				}
				nt := p.next()
				if nt.kind != 'n' {
					return nil, p.unexpected(nt)
				}
				if err := p.expect(":"); err != nil {
					return nil, err
				}
				typ, err := p.typeRef()
				if err != nil {
					return nil, err
				}
				def := &gqlVarDef{typ: typ, line: nt.line, col: nt.col - 1}
				if p.isPunct("=") {
					p.next()
					v, err := p.value(true)
					if err != nil {
						return nil, err
					}
					def.def, def.hasDefault = v, true
				}
				if _, dup := op.vars[nt.val]; dup {
					return nil, &gqlError{Message: fmt.Sprintf("There can be only one variable named %q", "$"+nt.val)}
				}
				op.vars[nt.val] = def
				op.varOrder = append(op.varOrder, nt.val)
			}
			p.next()
		}
	}
	if p.isPunct("@") {
		return nil, &gqlError{Message: "Directives are not supported by this fake"}
	}
	sel, err := p.selectionSet()
	if err != nil {
		return nil, err
	}
	op.sel = sel
	return op, nil
}

func (p *gqlParser) typeRef() (string, *gqlError) {
	var typ string
	if p.isPunct("[") {
		p.next()
		inner, err := p.typeRef()
		if err != nil {
			return "", err
		}
		if err := p.expect("]"); err != nil {
			return "", err
		}
		typ = "[" + inner + "]"
	} else {
		t := p.next()
		if t.kind != 'n' {
			return "", p.unexpected(t)
		}
		typ = t.val
	}
	if p.isPunct("!") {
		p.next()
		typ += "!"
	}
	return typ, nil
}

func (p *gqlParser) selectionSet() ([]*gqlField, *gqlError) {
	if err := p.expect("{"); err != nil {
		return nil, err
	}
	var sel []*gqlField
	for !p.isPunct("}") {
		t := p.next()
		if t.kind == 'p' && t.val == "..." {
			return nil, &gqlError{Message: "Fragments are not supported by this fake", Locations: []gqlLocation{{Line: t.line, Column: t.col}}}
		}
		if t.kind != 'n' {
			return nil, p.unexpected(t)
		}
		f := &gqlField{name: t.val, line: t.line, col: t.col}
		if p.isPunct(":") {
			p.next()
			nt := p.next()
			if nt.kind != 'n' {
				return nil, p.unexpected(nt)
			}
			f.alias, f.name = t.val, nt.val
		}
		if p.isPunct("(") {
			p.next()
			for !p.isPunct(")") {
				at := p.next()
				if at.kind != 'n' {
					return nil, p.unexpected(at)
				}
				if err := p.expect(":"); err != nil {
					return nil, err
				}
				v, err := p.value(false)
				if err != nil {
					return nil, err
				}
				f.args = append(f.args, gqlArg{name: at.val, val: v})
			}
			p.next()
		}
		if p.isPunct("@") {
			return nil, &gqlError{Message: "Directives are not supported by this fake"}
		}
		if p.isPunct("{") {
			sub, err := p.selectionSet()
			if err != nil {
				return nil, err
			}
			f.sel = sub
		}
		sel = append(sel, f)
	}
	p.next()
	if len(sel) == 0 {
		return nil, p.unexpected(p.toks[p.pos-1])
	}
	return sel, nil
}

func (p *gqlParser) value(constant bool) (gqlValue, *gqlError) {
	t := p.next()
	switch {
	case t.kind == 'p' && t.val == "$" && !constant:
		nt := p.next()
		if nt.kind != 'n' {
			return gqlValue{}, p.unexpected(nt)
		}
		return gqlValue{kind: gqlVarRef, name: nt.val}, nil
	case t.kind == 'p' && t.val == "[":
		v := gqlValue{kind: gqlList}
		for !p.isPunct("]") {
			x, err := p.value(constant)
			if err != nil {
				return v, err
			}
			v.list = append(v.list, x)
		}
		p.next()
		return v, nil
	case t.kind == 'p' && t.val == "{":
		v := gqlValue{kind: gqlObjectValue, fields: map[string]gqlValue{}}
		for !p.isPunct("}") {
			nt := p.next()
			if nt.kind != 'n' {
				return v, p.unexpected(nt)
			}
			if err := p.expect(":"); err != nil {
				return v, err
			}
			x, err := p.value(constant)
			if err != nil {
				return v, err
			}
			v.fields[nt.val] = x
		}
		p.next()
		return v, nil
	case t.kind == 's':
		return gqlValue{kind: gqlLiteral, lit: t.val, raw: strconv.Quote(t.val)}, nil
	case t.kind == 'i' || t.kind == 'f':
		return gqlValue{kind: gqlLiteral, lit: json.Number(t.val), raw: t.val}, nil
	case t.kind == 'n':
		switch t.val {
		case "true":
			return gqlValue{kind: gqlLiteral, lit: true, raw: t.val}, nil
		case "false":
			return gqlValue{kind: gqlLiteral, lit: false, raw: t.val}, nil
		case "null":
			return gqlValue{kind: gqlLiteral, lit: nil, raw: t.val}, nil
		}
		return gqlValue{kind: gqlLiteral, lit: t.val, raw: t.val}, nil // enum value
	}
	return gqlValue{}, p.unexpected(t)
}

// lexGraphQL splits a document into tokens; commas and comments are
// ignored, as the GraphQL spec says.
func lexGraphQL(src string) ([]gqlToken, *gqlError) {
	var toks []gqlToken
	line, col := 1, 1
	i := 0
	adv := func(n int) {
		for k := 0; k < n && i < len(src); k++ {
			if src[i] == '\n' {
				line++
				col = 1
			} else {
				col++
			}
			i++
		}
	}
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == 0xEF && strings.HasPrefix(src[i:], "\uFEFF"):
			if c == 0xEF {
				adv(3)
			} else {
				adv(1)
			}
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				adv(1)
			}
		case strings.HasPrefix(src[i:], "..."):
			toks = append(toks, gqlToken{kind: 'p', val: "...", line: line, col: col})
			adv(3)
		case strings.ContainsRune("!$()&:=@[]{}|", rune(c)):
			toks = append(toks, gqlToken{kind: 'p', val: string(c), line: line, col: col})
			adv(1)
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			start, l, cl := i, line, col
			for i < len(src) && (src[i] == '_' || src[i] >= 'a' && src[i] <= 'z' || src[i] >= 'A' && src[i] <= 'Z' || src[i] >= '0' && src[i] <= '9') {
				adv(1)
			}
			toks = append(toks, gqlToken{kind: 'n', val: src[start:i], line: l, col: cl})
		case c == '-' || c >= '0' && c <= '9':
			start, l, cl := i, line, col
			kind := byte('i')
			adv(1)
			for i < len(src) && (src[i] >= '0' && src[i] <= '9' || src[i] == '.' || src[i] == 'e' || src[i] == 'E' || src[i] == '+' || src[i] == '-') {
				if src[i] == '.' || src[i] == 'e' || src[i] == 'E' {
					kind = 'f'
				}
				adv(1)
			}
			toks = append(toks, gqlToken{kind: kind, val: src[start:i], line: l, col: cl})
		case c == '"':
			l, cl := line, col
			if strings.HasPrefix(src[i:], `"""`) {
				end := strings.Index(src[i+3:], `"""`)
				if end < 0 {
					return nil, &gqlError{Message: "Unterminated string", Locations: []gqlLocation{{Line: l, Column: cl}}}
				}
				val := src[i+3 : i+3+end]
				adv(end + 6)
				toks = append(toks, gqlToken{kind: 's', val: val, line: l, col: cl})
				continue
			}
			adv(1)
			var b strings.Builder
			closed := false
			for i < len(src) {
				ch := src[i]
				if ch == '"' {
					adv(1)
					closed = true
					break
				}
				if ch == '\n' {
					break
				}
				if ch == '\\' && i+1 < len(src) {
					esc := src[i+1]
					switch esc {
					case 'n':
						b.WriteByte('\n')
					case 't':
						b.WriteByte('\t')
					case 'r':
						b.WriteByte('\r')
					case 'b':
						b.WriteByte('\b')
					case 'f':
						b.WriteByte('\f')
					case 'u':
						if i+6 <= len(src) {
							if n, err := strconv.ParseUint(src[i+2:i+6], 16, 32); err == nil {
								b.WriteRune(rune(n))
								adv(6)
								continue
							}
						}
						return nil, &gqlError{Message: "Bad unicode escape", Locations: []gqlLocation{{Line: line, Column: col}}}
					default:
						b.WriteByte(esc)
					}
					adv(2)
					continue
				}
				_, size := utf8.DecodeRuneInString(src[i:])
				b.WriteString(src[i : i+size])
				adv(size)
			}
			if !closed {
				return nil, &gqlError{Message: "Unterminated string", Locations: []gqlLocation{{Line: l, Column: cl}}}
			}
			toks = append(toks, gqlToken{kind: 's', val: b.String(), line: l, col: cl})
		default:
			return nil, &gqlError{Message: fmt.Sprintf("Parse error on %q at [%d, %d]", string(c), line, col), Locations: []gqlLocation{{Line: line, Column: col}}}
		}
	}
	toks = append(toks, gqlToken{line: line, col: col})
	return toks, nil
}

// orderedObject is a JSON object that keeps the selection order.
type orderedObject struct {
	keys []string
	vals map[string]any
}

func (o *orderedObject) set(k string, v any) {
	if o.vals == nil {
		o.vals = map[string]any{}
	}
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *orderedObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(o.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Wire structs.

type gqlRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
}

type gqlResponse struct {
	Data   *orderedObject `json:"data,omitempty"`
	Errors []*gqlError    `json:"errors,omitempty"`
}

type gqlLocation struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

type gqlError struct {
	Message    string         `json:"message"`
	Locations  []gqlLocation  `json:"locations,omitempty"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}
