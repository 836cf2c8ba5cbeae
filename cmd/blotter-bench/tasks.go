package main

import (
	"context"
	"fmt"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/workspace"
)

// seedTasks fills a data dir with an incident and n tasks spread over the four columns, for
// the board benchmark; a tenth are overdue, half are assigned to the author.
func seedTasks(ctx context.Context, dataDir string, n int) error {
	ws, err := workspace.Open(ctx, dataDir)
	if err != nil {
		return err
	}
	defer ws.Close()
	if err := ws.SetAuthor(ctx, "Ana"); err != nil {
		return err
	}
	inc := &blotter.Incident{Title: "Board benchmark", CreatedBy: "Ana"}
	if err := ws.DB.CreateIncident(ctx, inc); err != nil {
		return err
	}
	if _, err := ws.UseIncident(ctx, inc.ID); err != nil {
		return err
	}
	people := []string{"Ana", "Bo", "Chen", "Dee"}
	for i := range n {
		t := &blotter.Task{IncidentID: inc.ID, Title: fmt.Sprintf("Task %d: check host-%04d for the implant", i, i),
			Assignee: people[i%len(people)], Status: blotter.TaskStatuses[i%len(blotter.TaskStatuses)]}
		if t.Status == blotter.TaskBlocked {
			t.BlockedReason = "the vendor's answer"
		}
		if i%10 == 0 {
			t.DueAt = blotter.FormatTime(time.Now().Add(-time.Hour))
		}
		if err := ws.DB.AddTask(ctx, t, "Ana"); err != nil {
			return err
		}
	}
	return nil
}
