package commands

import (
	"context"
	"fmt"

	"sluice"
)

// failure returns the failed outcome of a stopped or failed run, nil for a success.
func (r *shellRun) failure(ctx context.Context) *sluice.Outcome {
	var headline string
	switch {
	case ctx.Err() != nil:
		headline = "Commands were stopped"
	case r.waitErr == nil:
		return nil
	case r.state == nil:
		headline = fmt.Sprintf("Commands could not be waited for: %v", r.waitErr)
	case r.state.ExitCode() < 0:
		headline = fmt.Sprintf("Commands were killed (%s)", r.state)
	default:
		headline = fmt.Sprintf("Command failed with exit status %d", r.state.ExitCode())
	}
	text := headline
	if t := r.tail.String(); t != "" {
		text += "\n" + t
	}
	return &sluice.Outcome{ErrorType: sluice.FailureJobFailed, Summary: text, ErrorMessage: text}
}

// Bounds of the output quoted in a failure summary, which may hold 2048 characters.
const (
	tailBytes = 1536
	tailLines = 20
)
