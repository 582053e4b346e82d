package sqlite

// writeQueries run on the writer, inside Update or on their own; they are prepared at Open.
var writeQueries = []string{
	qPipeline, qInsertPipeline, qInsertVersion, qSetVersion, qDeletePipeline, qDeleteTags,
	qSnapActive, qSnapIncluded, qSnapStageRuns, qSnapActionRuns, qSnapJobs, qSnapVersions, qStages,
	qExecutionByToken, qExecutionByApproval, qInsertExecution, qUpdateExecution, qInsertStageRun, qUpdateStageRun,
	qInsertActionRun, qUpdateActionRun, qInsertJob, qUpdateJob, qUpsertStage, qDeleteStage,
	qInsertEvent, qAcknowledgeJob, qExtendLease, qRequeueJob,
	qInsertRepo, qDeleteRepo, qPutTag, qUntagKey, qPutAccessKey,
	qInsertActionType, qRestoreActionType, qDeleteActionType,
	qInsertProject, qUpdateProject, qProject, qDeleteProject,
	qInsertConn, qUpdateConn, qDeleteConn, qInsertHost, qDeleteHost,
	qPutFunction, qDeleteFunction,
	qSeenDelivery, qInsertDelivery, qPruneDeliveries, qFinishDelivery, qDeleteConnDeliveries,
	qWebhookCount, qPutWebhook, qWebhook, qDeleteWebhook, qWebhookOutcome,
	qAddConsumer, qDeleteConsumer, qAckOutbox, qPruneOutbox, qReadOutboxAfter, qOutboxEnd,
	qDeleteAudit, qInsertAudit, qInsertAuditResource, qPruneAudit,
}

// readQueries run on the read pool; they are prepared at Open.
var readQueries = append([]string{
	qPipeline, qPipelineAt, qPipelines, qExecution, qExecutions, qActionRunsOfPipeline,
	qActionRunsOfExecution, qActionRun, qStages, qLatestStageRuns, qLatestActionRuns, qWaiting,
	qActivePipelines, qDueActions, qNextDeadline, qJob, qExpiredJobs, qQueueDepth, qRepo,
	qRepos, qTags, qAccessKey, qActionType, qActionTypes, qProject,
	qConn, qConns, qHost, qHosts, qDeliveries,
	qFunction, qFunctions,
	qWebhook, qWebhookByToken, qWebhooks, qConsumer, qReadOutbox, qAuditAfter,
}, append(projectQueries(), auditLookupQueries()...)...)
