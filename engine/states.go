package engine

import "sluice"

// EventBridge states for status changes (SEMANTICS §10.1); a status not listed emits no event.
var (
	executionStates = map[sluice.ExecutionStatus]string{
		sluice.ExecutionInProgress: "STARTED", sluice.ExecutionSucceeded: "SUCCEEDED",
		sluice.ExecutionFailed: "FAILED", sluice.ExecutionCancelled: "CANCELED",
		sluice.ExecutionSuperseded: "SUPERSEDED", sluice.ExecutionStopping: "STOPPING",
		sluice.ExecutionStopped: "STOPPED",
	}
	stageStates = map[sluice.StageStatus]string{
		sluice.StageInProgress: "STARTED", sluice.StageSucceeded: "SUCCEEDED", sluice.StageFailed: "FAILED",
		sluice.StageCancelled: "CANCELED", sluice.StageStopping: "STOPPING", sluice.StageStopped: "STOPPED",
	}
	actionStates = map[sluice.ActionStatus]string{
		sluice.ActionInProgress: "STARTED", sluice.ActionSucceeded: "SUCCEEDED",
		sluice.ActionFailed: "FAILED", sluice.ActionAbandoned: "ABANDONED",
	}
)

func executionState(s sluice.ExecutionStatus) string { return executionStates[s] }

func stageState(s sluice.StageStatus) string { return stageStates[s] }

func actionState(s sluice.ActionStatus) string { return actionStates[s] }
