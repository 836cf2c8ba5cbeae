package app

import (
	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/recorder"
)

// Tasks lets the frontend run the active incident's task board.
type Tasks struct{ *core }

// TaskInput is a new task, or the fields an edit sets.
type TaskInput struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Assignee    string   `json:"assignee"`
	DueAt       string   `json:"due_at"` // +2h, 17:00, a date and time; "" or "none" for none
	Status      string   `json:"status"` // the column a new task starts in; "" is To do
	Links       []string `json:"links"`
}

// List returns the active incident's tasks, column by column, each in board order.
func (s *Tasks) List() ([]*blotter.Task, error) {
	return s.rec.Tasks(s.ctx(), recorder.TaskFilter{})
}

// Add puts a task on the active incident's board.
func (s *Tasks) Add(in TaskInput) (*blotter.Task, error) {
	return s.rec.AddTask(s.ctx(), recorder.NewTask{Title: in.Title, Description: in.Description,
		Assignee: in.Assignee, Due: in.DueAt, Status: in.Status, Links: in.Links})
}

// FromEntry makes a task of a timeline entry ("make a task"): titled by the entry's first
// line and linked to it.
func (s *Tasks) FromEntry(entryID string) (*blotter.Task, error) {
	return s.rec.TaskFromEntry(s.ctx(), entryID)
}

// Move puts a task in a column at a rank (its order there); reason is what a blocked task
// waits on, or why it moved.
func (s *Tasks) Move(id, status string, rank float64, reason string) (*blotter.Task, error) {
	return s.rec.MoveTask(s.ctx(), id, status, &rank, reason)
}

// Edit sets a task's title, description, assignee, due time and links, and moves it when its
// column changed.
func (s *Tasks) Edit(id string, in TaskInput) (*blotter.Task, error) {
	ed := recorder.TaskEdit{Title: &in.Title, Description: &in.Description, Assignee: &in.Assignee, Due: &in.DueAt}
	if in.Links != nil {
		ed.Links = &in.Links
	}
	return s.rec.EditTask(s.ctx(), id, ed)
}
