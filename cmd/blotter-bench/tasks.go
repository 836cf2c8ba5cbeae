package main

import (
	"context"
	"fmt"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/recorder"
)

// seedTasks fills a data dir with an incident and n tasks spread over the four columns, for
// the board benchmark; a tenth are overdue, half are assigned to the author.
func seedTasks(ctx context.Context, dataDir string, n int) error {
	ws, err := recorder.Open(ctx, dataDir)
	if err != nil {
		return err
	}
	defer ws.Close()
	if err := ws.SetAuthor(ctx, "Ana"); err != nil {
		return err
	}
	inc, err := ws.CreateIncident(ctx, "Board benchmark", "")
	if err != nil {
		return err
	}
	people := []string{"Ana", "Bo", "Chen", "Dee"}
	for i := range n {
		status := blotter.TaskStatuses[i%len(blotter.TaskStatuses)]
		t := recorder.NewTask{IncidentID: inc.ID, Title: fmt.Sprintf("Task %d: check host-%04d for the implant", i, i),
			Assignee: people[i%len(people)], Status: string(status)}
		if i%10 == 0 {
			t.Due = blotter.FormatTime(time.Now().Add(-time.Hour))
		}
		if status == blotter.TaskBlocked { // a task is blocked by a move that says what it waits on
			t.Status = ""
			added, err := ws.AddTask(ctx, t)
			if err != nil {
				return err
			}
			if _, err := ws.MoveTask(ctx, added.ID, string(status), nil, "the vendor's answer"); err != nil {
				return err
			}
			continue
		}
		if _, err := ws.AddTask(ctx, t); err != nil {
			return err
		}
	}
	return nil
}
