package engine

import "sluice"

// EventBridge states for status changes (SEMANTICS §10.1); "" emits no event.

func executionState(s sluice.ExecutionStatus) string {
	switch s {
	case sluice.ExecutionInProgress:
		return "STARTED"
	case sluice.ExecutionSucceeded:
		return "SUCCEEDED"
	case sluice.ExecutionFailed:
		return "FAILED"
	case sluice.ExecutionCancelled:
		return "CANCELED"
	case sluice.ExecutionSuperseded:
		return "SUPERSEDED"
	case sluice.ExecutionStopping:
		return "STOPPING"
	case sluice.ExecutionStopped:
		return "STOPPED"
	}
	return ""
}

func stageState(s sluice.StageStatus) string {
	switch s {
	case sluice.StageInProgress:
		return "STARTED"
	case sluice.StageSucceeded:
		return "SUCCEEDED"
	case sluice.StageFailed:
		return "FAILED"
	case sluice.StageCancelled:
		return "CANCELED"
	case sluice.StageStopping:
		return "STOPPING"
	case sluice.StageStopped:
		return "STOPPED"
	}
	return ""
}

func actionState(s sluice.ActionStatus) string {
	switch s {
	case sluice.ActionInProgress:
		return "STARTED"
	case sluice.ActionSucceeded:
		return "SUCCEEDED"
	case sluice.ActionFailed:
		return "FAILED"
	case sluice.ActionAbandoned:
		return "ABANDONED"
	}
	return ""
}
