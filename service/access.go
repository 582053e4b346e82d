package service

import (
	"context"
	"strings"

	"sluice"
)

// The IAM action of every operation a surface calls, named as AWS's Service Authorization
// Reference names it, so that the policies users already have for AWS mean the same here.
// Sluice's own operations (functions, the worker protocol, the action log) have the prefix
// "sluice"; its extensions of CodeStar connections keep that service's prefix. The
// resource each is asked on is in the method that asks; docs/security.md ("Actions and
// resources") lists both, and a test in api holds every routed operation to its pair.
const (
	actCreatePipeline         = "codepipeline:CreatePipeline"
	actGetPipeline            = "codepipeline:GetPipeline"
	actUpdatePipeline         = "codepipeline:UpdatePipeline"
	actDeletePipeline         = "codepipeline:DeletePipeline"
	actListPipelines          = "codepipeline:ListPipelines"
	actStartPipelineExecution = "codepipeline:StartPipelineExecution"
	actStopPipelineExecution  = "codepipeline:StopPipelineExecution"
	actGetPipelineExecution   = "codepipeline:GetPipelineExecution"
	actListPipelineExecutions = "codepipeline:ListPipelineExecutions"
	actGetPipelineState       = "codepipeline:GetPipelineState"
	actListActionExecutions   = "codepipeline:ListActionExecutions"
	actRetryStageExecution    = "codepipeline:RetryStageExecution"
	actOverrideStageCondition = "codepipeline:OverrideStageCondition"
	actRollbackStage          = "codepipeline:RollbackStage"
	actListRuleExecutions     = "codepipeline:ListRuleExecutions"
	actPutApprovalResult      = "codepipeline:PutApprovalResult"
	actPutActionRevision      = "codepipeline:PutActionRevision"
	actEnableStageTransition  = "codepipeline:EnableStageTransition"
	actDisableStageTransition = "codepipeline:DisableStageTransition"
	actListActionTypes        = "codepipeline:ListActionTypes"
	actGetActionType          = "codepipeline:GetActionType"
	actCreateCustomActionType = "codepipeline:CreateCustomActionType"
	actDeleteCustomActionType = "codepipeline:DeleteCustomActionType"
	actUpdateActionType       = "codepipeline:UpdateActionType"
	actListRuleTypes          = "codepipeline:ListRuleTypes"
	actListDeployTargets      = "codepipeline:ListDeployActionExecutionTargets"
	actPollForJobs            = "codepipeline:PollForJobs"
	actAcknowledgeJob         = "codepipeline:AcknowledgeJob"
	actGetJobDetails          = "codepipeline:GetJobDetails"
	actPutJobSuccessResult    = "codepipeline:PutJobSuccessResult"
	actPutJobFailureResult    = "codepipeline:PutJobFailureResult"
	actPollForThirdPartyJobs  = "codepipeline:PollForThirdPartyJobs"
	actAckThirdPartyJob       = "codepipeline:AcknowledgeThirdPartyJob"
	actGetThirdPartyJob       = "codepipeline:GetThirdPartyJobDetails"
	actPutThirdPartySuccess   = "codepipeline:PutThirdPartyJobSuccessResult"
	actPutThirdPartyFailure   = "codepipeline:PutThirdPartyJobFailureResult"
	actRegisterPartnerType    = "sluice:RegisterPartnerActionType"
	actTagResource            = "codepipeline:TagResource"
	actUntagResource          = "codepipeline:UntagResource"
	actListTagsForResource    = "codepipeline:ListTagsForResource"
	actPutWebhook             = "codepipeline:PutWebhook"
	actListWebhooks           = "codepipeline:ListWebhooks"
	actDeleteWebhook          = "codepipeline:DeleteWebhook"
	actRegisterWebhook        = "codepipeline:RegisterWebhookWithThirdParty"
	actDeregisterWebhook      = "codepipeline:DeregisterWebhookWithThirdParty"
	actCreateRepository       = "codecommit:CreateRepository"
	actGetRepository          = "codecommit:GetRepository"
	actListRepositories       = "codecommit:ListRepositories"
	actDeleteRepository       = "codecommit:DeleteRepository"
	actGetBranch              = "codecommit:GetBranch"
	actGitPull                = "codecommit:GitPull"
	actGitPush                = "codecommit:GitPush"
	actCreateProject          = "codebuild:CreateProject"
	actUpdateProject          = "codebuild:UpdateProject"
	actBatchGetProjects       = "codebuild:BatchGetProjects"
	actListProjects           = "codebuild:ListProjects"
	actDeleteProject          = "codebuild:DeleteProject"
	actCreateConnection       = "codestar-connections:CreateConnection"
	actGetConnection          = "codestar-connections:GetConnection"
	actListConnections        = "codestar-connections:ListConnections"
	actDeleteConnection       = "codestar-connections:DeleteConnection"
	actPassConnection         = "codestar-connections:PassConnection"
	actUpdateConnectionCreds  = "codestar-connections:UpdateConnectionCredentials"
	actListWebhookDeliveries  = "codestar-connections:ListWebhookDeliveries"
	actCreateHost             = "codestar-connections:CreateHost"
	actGetHost                = "codestar-connections:GetHost"
	actListHosts              = "codestar-connections:ListHosts"
	actDeleteHost             = "codestar-connections:DeleteHost"
	actPutFunction            = "sluice:PutFunction"
	actGetFunction            = "sluice:GetFunction"
	actListFunctions          = "sluice:ListFunctions"
	actDeleteFunction         = "sluice:DeleteFunction"
	actPollForWorkerJobs      = "sluice:PollForWorkerJobs"
	actGetActionLog           = "sluice:GetActionLog"
	actPutActionLog           = "sluice:PutActionLog"
	actGetEvents              = "sluice:GetEvents"
	actCreateSecret           = "secretsmanager:CreateSecret"
	actGetSecretValue         = "secretsmanager:GetSecretValue"
	actPutSecretValue         = "secretsmanager:PutSecretValue"
	actUpdateSecret           = "secretsmanager:UpdateSecret"
	actDeleteSecret           = "secretsmanager:DeleteSecret"
	actDescribeSecret         = "secretsmanager:DescribeSecret"
	actListSecrets            = "secretsmanager:ListSecrets"
	actPutParameter           = "ssm:PutParameter"
	actGetParameter           = "ssm:GetParameter"
	actGetParameters          = "ssm:GetParameters"
	actGetParametersByPath    = "ssm:GetParametersByPath"
	actDeleteParameter        = "ssm:DeleteParameter"
	actResolveJobSecrets      = "sluice:ResolveJobSecrets"
	// CodeStar Notifications, and the chat channels its chat targets name.
	actCreateNotificationRule   = "codestar-notifications:CreateNotificationRule"
	actUpdateNotificationRule   = "codestar-notifications:UpdateNotificationRule"
	actDeleteNotificationRule   = "codestar-notifications:DeleteNotificationRule"
	actDescribeNotificationRule = "codestar-notifications:DescribeNotificationRule"
	actListNotificationRules    = "codestar-notifications:ListNotificationRules"
	actListEventTypes           = "codestar-notifications:ListEventTypes"
	actSubscribeRule            = "codestar-notifications:Subscribe"
	actUnsubscribeRule          = "codestar-notifications:Unsubscribe"
	actListTargets              = "codestar-notifications:ListTargets"
	actDeleteTarget             = "codestar-notifications:DeleteTarget"
	actTagNotificationRule      = "codestar-notifications:TagResource"
	actUntagNotificationRule    = "codestar-notifications:UntagResource"
	actListNotificationRuleTags = "codestar-notifications:ListTagsForResource"
	actCreateChatChannel        = "sluice:CreateChatChannel"
	actListChatChannels         = "sluice:ListChatChannels"
	actDeleteChatChannel        = "sluice:DeleteChatChannel"
	anyResource                 = "*" // actions IAM evaluates on no one resource (lists, job calls)
)

// SNS's actions (service/topics.go, subscriptions.go, publish.go). Subscriptions are asked
// on their topic's ARN, as AWS asks; ListTopics and ListSubscriptions on "*".
const (
	actCreateTopic               = "sns:CreateTopic"
	actDeleteTopic               = "sns:DeleteTopic"
	actListTopics                = "sns:ListTopics"
	actGetTopicAttributes        = "sns:GetTopicAttributes"
	actSetTopicAttributes        = "sns:SetTopicAttributes"
	actSubscribe                 = "sns:Subscribe"
	actConfirmSubscription       = "sns:ConfirmSubscription"
	actUnsubscribe               = "sns:Unsubscribe"
	actListSubscriptions         = "sns:ListSubscriptions"
	actListSubscriptionsByTopic  = "sns:ListSubscriptionsByTopic"
	actGetSubscriptionAttributes = "sns:GetSubscriptionAttributes"
	actSetSubscriptionAttributes = "sns:SetSubscriptionAttributes"
	actPublish                   = "sns:Publish"
	actSNSTagResource            = "sns:TagResource"
	actSNSUntagResource          = "sns:UntagResource"
	actSNSListTagsForResource    = "sns:ListTagsForResource"
)

// The delivery log (service/deliveries.go), asked on the destination whose log it is.
const actListDeliveries = "sluice:ListDeliveries"

// allow asks Authz whether the caller may do action on resource ("*" for none). The
// server's own calls (sluice.ServerCaller) are not asked about; no surface can make one.
func (s *Service) allow(ctx context.Context, c sluice.Caller, action, resource string) error {
	if s.Authz == nil || c.IsServer() {
		return nil
	}
	return s.Authz.Authorize(ctx, c, sluice.Access{Action: action, Resource: resource})
}

// allowAll asks about each resource in turn, for operations on several (PutWebhook: the
// pipeline and the webhook); all must be allowed.
func (s *Service) allowAll(ctx context.Context, c sluice.Caller, action string, resources ...string) error {
	for _, r := range resources {
		if err := s.allow(ctx, c, action, r); err != nil {
			return err
		}
	}
	return nil
}

// The resource ARNs operations are asked on.

func (s *Service) pipelineARN(name string) string { return s.Scope().ARN(sluice.PipelineARN, name) }

func (s *Service) stageARN(pipeline, stage string) string {
	return s.pipelineARN(pipeline + "/" + stage)
}

func (s *Service) actionARN(pipeline, stage, action string) string {
	return s.stageARN(pipeline, stage+"/"+action)
}

func (s *Service) actionTypeARN(id sluice.ActionTypeID) string {
	return s.Scope().ARN(sluice.ActionTypeARN, sluice.ActionTypeResource(id))
}

func (s *Service) webhookARN(name string) string { return s.Scope().ARN(sluice.WebhookARN, name) }

func (s *Service) repositoryARN(name string) string {
	return s.Scope().ARN(sluice.RepositoryARN, name)
}

// projectARN is the ARN of a project named by name or ARN; an ARN is asked about as given.
func (s *Service) projectARN(n string) string { return s.arnOf(sluice.ProjectARN, n) }

// functionARN is the ARN of a function named by name or (qualified) ARN, as Lambda's
// FunctionName takes either; an ARN is asked about as given.
func (s *Service) functionARN(n string) string { return s.arnOf(sluice.FunctionARN, n) }

func (s *Service) arnOf(k sluice.ARNKind, n string) string {
	if strings.HasPrefix(n, "arn:") {
		return n
	}
	return s.Scope().ARN(k, n)
}

// EventBridge's actions: rules and targets are asked on the rule's ARN, PutEvents on the
// default bus's, ListRules and TestEventPattern on none.
const (
	actPutRule             = "events:PutRule"
	actDescribeRule        = "events:DescribeRule"
	actDeleteRule          = "events:DeleteRule"
	actListRules           = "events:ListRules"
	actEnableRule          = "events:EnableRule"
	actDisableRule         = "events:DisableRule"
	actPutTargets          = "events:PutTargets"
	actRemoveTargets       = "events:RemoveTargets"
	actListTargetsByRule   = "events:ListTargetsByRule"
	actTestEventPattern    = "events:TestEventPattern"
	actPutEvents           = "events:PutEvents"
	actEventsTagResource   = "events:TagResource"
	actEventsUntagResource = "events:UntagResource"
	actEventsListTags      = "events:ListTagsForResource"
)
