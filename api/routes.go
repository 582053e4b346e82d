package api

const (
	pipelineTarget   = "CodePipeline_20150709."
	codecommitTarget = "CodeCommit_20150413."
	codebuildTarget  = "CodeBuild_20161006."
)

func (s *Server) routes() map[string]handler {
	pl := map[string]handler{
		"CreatePipeline":                   s.createPipeline,
		"GetPipeline":                      s.getPipeline,
		"UpdatePipeline":                   s.updatePipeline,
		"DeletePipeline":                   s.deletePipeline,
		"ListPipelines":                    s.listPipelines,
		"StartPipelineExecution":           s.startExecution,
		"PutActionRevision":                s.putActionRevision,
		"StopPipelineExecution":            s.stopExecution,
		"GetPipelineExecution":             s.getExecution,
		"ListPipelineExecutions":           s.listExecutions,
		"GetPipelineState":                 s.getPipelineState,
		"ListActionExecutions":             s.listActionExecutions,
		"RetryStageExecution":              s.retryStage,
		"OverrideStageCondition":           s.overrideCondition,
		"RollbackStage":                    s.rollbackStage,
		"ListRuleExecutions":               s.listRuleExecutions,
		"PutApprovalResult":                s.putApprovalResult,
		"EnableStageTransition":            s.enableTransition,
		"DisableStageTransition":           s.disableTransition,
		"ListActionTypes":                  s.listActionTypes,
		"GetActionType":                    s.getActionType,
		"CreateCustomActionType":           s.createCustomActionType,
		"DeleteCustomActionType":           s.deleteCustomActionType,
		"ListRuleTypes":                    s.listRuleTypes,
		"UpdateActionType":                 s.updateActionType,
		"ListDeployActionExecutionTargets": s.listDeployTargets,
		"PollForJobs":                      s.pollForJobs,
		"AcknowledgeJob":                   s.acknowledgeJob,
		"GetJobDetails":                    s.getJobDetails,
		"PutJobSuccessResult":              s.putJobSuccessResult,
		"PutJobFailureResult":              s.putJobFailureResult,
		"PollForThirdPartyJobs":            s.pollForThirdPartyJobs,
		"AcknowledgeThirdPartyJob":         s.acknowledgeThirdPartyJob,
		"GetThirdPartyJobDetails":          s.getThirdPartyJobDetails,
		"PutThirdPartyJobSuccessResult":    s.putThirdPartyJobSuccessResult,
		"PutThirdPartyJobFailureResult":    s.putThirdPartyJobFailureResult,
		"TagResource":                      s.tagResource,
		"UntagResource":                    s.untagResource,
		"ListTagsForResource":              s.listTags,
		"PutWebhook":                       s.putWebhook,
		"ListWebhooks":                     s.listWebhooks,
		"DeleteWebhook":                    s.deleteWebhook,
		"RegisterWebhookWithThirdParty":    s.registerWebhook,
		"DeregisterWebhookWithThirdParty":  s.deregisterWebhook,
	}
	cc := map[string]handler{
		"CreateRepository": s.createRepository,
		"GetRepository":    s.getRepository,
		"ListRepositories": s.listRepositories,
		"DeleteRepository": s.deleteRepository,
		"GetBranch":        s.getBranch,
	}
	cb := map[string]handler{
		"CreateProject":    s.createProject,
		"UpdateProject":    s.updateProject,
		"BatchGetProjects": s.batchGetProjects,
		"ListProjects":     s.listProjects,
		"DeleteProject":    s.deleteProject,
	}
	fn := map[string]handler{
		"PutFunction":    s.putFunction,
		"GetFunction":    s.getFunction,
		"ListFunctions":  s.listFunctions,
		"DeleteFunction": s.deleteFunction,
	}
	out := map[string]handler{workerTarget + "PollForWorkerJobs": s.pollForWorkerJobs}
	for k, h := range pl {
		out[pipelineTarget+k] = h
	}
	for k, h := range cc {
		out[codecommitTarget+k] = h
	}
	for k, h := range cb {
		out[codebuildTarget+k] = h
	}
	s.connectionRoutes(out)
	s.secretRoutes(out)
	s.eventRoutes(out)
	s.ssmRoutes(out)
	s.cloudtrailRoutes(out)
	s.notificationRoutes(out)
	s.partnerRoutes(out)
	s.chatRoutes(out)
	for k, h := range fn {
		out[functionsTarget+k] = h
	}
	return out
}
