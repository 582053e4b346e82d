package sqlstore

// writeQueries run on the writer, inside Update or on their own; they are prepared at Open.
var writeQueries = []string{
	qPipeline, qInsertPipeline, qInsertVersion, qSetVersion, qDeletePipeline, qDeleteTags,
	qSnapActive, qSnapIncluded, qSnapStageRuns, qSnapActionRuns, qSnapRuleRuns, qSnapJobs, qSnapVersions,
	qStages, qRollbackTargets, qExecutionByToken, qExecutionByApproval, qInsertExecution, qUpdateExecution,
	qInsertStageRun, qUpdateStageRun, qInsertActionRun, qUpdateActionRun, qInsertRuleRun, qUpdateRuleRun,
	qInsertJob, qUpdateJob, qUpsertStage, qDeleteStage,
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
	qActionRunsOfExecution, qActionRun, qRuleRunsOfPipeline, qRuleRunsOfExecution, qRuleRunScope,
	qStages, qLatestStageRuns, qLatestActionRuns, qLatestRuleRuns, qWaiting,
	qActivePipelines, qDueActions, qNextDeadline, qJob, qExpiredJobs, qQueueDepth, qRepo,
	qRepos, qTags, qAccessKey, qActionType, qActionTypes, qProject,
	qConn, qConns, qHost, qHosts, qDeliveries,
	qFunction, qFunctions,
	qWebhook, qWebhookByToken, qWebhooks, qConsumer, qReadOutbox, qAuditAfter,
}, append(projectQueries(), auditLookupQueries()...)...)
