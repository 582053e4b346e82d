// Package exception is the table from the core's error codes to the exception names of the
// AWS JSON APIs Sluice serves: the one place a sluice.Error gets its wire name.
package exception

import "sluice"

// Name maps a core error to the exception the JSON APIs' models define (CodePipeline's and
// those Sluice serves beside it). The API's errors.go writes it on the wire; the console
// records it in the audit trail for the same operation.
func Name(e *sluice.Error) string {
	switch e.Code {
	case sluice.EInvalid:
		switch e.Resource {
		case "NextToken", "Tags", "Arn", "Nonce", "ClientToken", "Job", "WebhookFilterPattern", "WebhookAuthenticationParameters",
			"RepositoryName", "RepositoryDescription", "BranchName", "CommitId",
			"LookupAttributes", "TimeRange", "MaxResults", "EventCategory", // CloudTrail's
			"Input",        // CodeBuild's InvalidInputException
			"EventPattern": // EventBridge's InvalidEventPatternException
			return "Invalid" + e.Resource + "Exception"
		case "RepositoryNameRequired", "BranchNameRequired": // CodeCommit's names for a missing member
			return e.Resource + "Exception"
		case "HierarchyLevelLimitExceeded", "InvalidAllowedPattern", "ParameterPatternMismatch": // Parameter Store's
			return e.Resource + "Exception"
		case "SSMNextToken":
			return "InvalidNextToken"
		case "SecretParameter": // Secrets Manager's
			return "InvalidParameterException"
		case "SecretRequest":
			return "InvalidRequestException"
		}
		return "ValidationException"
	case sluice.EStructure:
		return "InvalidStructureException"
	case sluice.EStageDecl:
		return "InvalidStageDeclarationException"
	case sluice.EActionDecl:
		return "InvalidActionDeclarationException"
	case sluice.EBlockerDecl:
		return "InvalidBlockerDeclarationException"
	case sluice.ENotFound:
		switch e.Resource {
		case "Parameter", "ParameterVersion": // Parameter Store's
			return e.Resource + "NotFound"
		case "Repository", "Branch": // CodeCommit's names
			return e.Resource + "DoesNotExistException"
		case "", "Project", "Connection", "Host", "Function", "Secret", "SecretVersion", "EventRule", "ChatChannel": // CodeBuild, CodeStar connections, Lambda and Secrets Manager name no resource
			return "ResourceNotFoundException"
		}
		return e.Resource + "NotFoundException"
	case sluice.EAlreadyExists:
		switch e.Resource {
		case "Pipeline":
			return "PipelineNameInUseException"
		case "Project":
			return "ResourceAlreadyExistsException" // CodeBuild's
		case "Secret", "SecretVersion":
			return "ResourceExistsException" // Secrets Manager's
		case "Parameter":
			return "ParameterAlreadyExists"
		}
		return e.Resource + "NameExistsException"
	case sluice.EConflict:
		return "ConflictException"
	case sluice.ELimit:
		switch e.Resource {
		case "ConcurrentPipelineExecutions":
			return "ConcurrentPipelineExecutionsLimitExceededException"
		case "Tags":
			return "TooManyTagsException"
		case "OutputVariablesSize":
			return "OutputVariablesSizeExceededException"
		}
		return "LimitExceededException"
	case sluice.ENotStoppable:
		return "PipelineExecutionNotStoppableException"
	case sluice.EDuplicateStop:
		return "DuplicatedStopRequestException"
	case sluice.ENotRetryable:
		return "StageNotRetryableException"
	case sluice.ENotLatest:
		return "NotLatestPipelineExecutionException"
	case sluice.EInvalidToken:
		return "InvalidApprovalTokenException"
	case sluice.EAlreadyCompleted:
		return "ApprovalAlreadyCompletedException"
	case sluice.EInvalidNonce:
		return "InvalidNonceException"
	case sluice.EInvalidJobState:
		return "InvalidJobStateException"
	case sluice.ENotOverridable:
		return "ConditionNotOverridableException"
	case sluice.ENoRollback:
		return "UnableToRollbackStageException"
	case sluice.EOutdated:
		return "PipelineExecutionOutdatedException"
	case sluice.EUnsupported:
		return "UnsupportedOperationException"
	case sluice.EAccessDenied:
		return "AccessDeniedException"
	}
	return "InternalFailure"
}
