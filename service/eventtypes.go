package service

import (
	"context"
	"slices"
	"strings"

	"sluice"
)

// EventType is one kind of event a notification rule can name (ListEventTypes).
type EventType struct {
	ID           string
	Name         string
	ServiceName  string
	ResourceType string
}

// eventTypeIDPrefix starts every CodePipeline event type id.
const eventTypeIDPrefix = "codepipeline-pipeline-"

// eventTypes are CodePipeline's event types, as CodeStar Notifications lists them (the
// semantics' §4.2), by id.
var eventTypes = func() []EventType {
	var out []EventType
	add := func(level, name string, states ...string) {
		for _, st := range states {
			out = append(out, EventType{ID: eventTypeIDPrefix + level + "-" + st, Name: name + ": " + titleCase(st),
				ServiceName: "CodePipeline", ResourceType: "Pipeline"})
		}
	}
	add("action-execution", "Action execution", "succeeded", "failed", "canceled", "started")
	add("stage-execution", "Stage execution", "started", "succeeded", "resumed", "canceled", "failed")
	add("pipeline-execution", "Pipeline execution", "failed", "canceled", "started", "resumed", "succeeded", "superseded")
	add("manual-approval", "Manual approval", "failed", "needed", "succeeded")
	slices.SortFunc(out, func(a, b EventType) int { return strings.Compare(a.ID, b.ID) })
	return out
}()

func titleCase(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// isEventType reports whether id is one of eventTypes.
func isEventType(id string) bool {
	_, ok := slices.BinarySearchFunc(eventTypes, id, func(e EventType, id string) int { return strings.Compare(e.ID, id) })
	return ok
}

// EventTypeFilter narrows ListEventTypes: each field set must match (case-insensitively).
type EventTypeFilter struct {
	ServiceName  string
	ResourceType string
}

// ListEventTypes returns one page of the event types f selects, by id.
func (s *Service) ListEventTypes(ctx context.Context, c sluice.Caller, f EventTypeFilter, page sluice.Page) ([]EventType, string, error) {
	if err := s.allow(ctx, c, actListEventTypes, anyResource); err != nil {
		return nil, "", err
	}
	var out []EventType
	for _, e := range eventTypes {
		if (f.ServiceName == "" || strings.EqualFold(f.ServiceName, e.ServiceName)) &&
			(f.ResourceType == "" || strings.EqualFold(f.ResourceType, e.ResourceType)) {
			out = append(out, e)
		}
	}
	return offsetPage(out, page.Token, "eventtypes", f.ServiceName+"/"+f.ResourceType, page.Limit)
}

// EventTypeIDs are the ids of the event types ev is an instance of: none for a state no type
// names (STOPPING, STOPPED, ABANDONED) and for events that are not CodePipeline's; an
// approval's action event is both an action event and an approval event.
func EventTypeIDs(ev *sluice.Event) []string {
	state := strings.ToLower(ev.State)
	var ids []string
	switch ev.DetailType {
	case sluice.DetailExecution:
		ids = append(ids, eventTypeIDPrefix+"pipeline-execution-"+state)
	case sluice.DetailStage:
		ids = append(ids, eventTypeIDPrefix+"stage-execution-"+state)
	case sluice.DetailAction:
		ids = append(ids, eventTypeIDPrefix+"action-execution-"+state)
		if ev.ActionType != nil && ev.ActionType.Category == "Approval" {
			approval := map[string]string{"started": "needed", "succeeded": "succeeded", "failed": "failed"}[state]
			if approval != "" {
				ids = append(ids, eventTypeIDPrefix+"manual-approval-"+approval)
			}
		}
	}
	return slices.DeleteFunc(ids, func(id string) bool { return !isEventType(id) })
}
