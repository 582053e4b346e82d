package api

import (
	"strings"
)

// jobCases are the refusals of the custom action type and job-worker operations; h must have
// its custom job (seedJob).
func jobCases(h *harness) []badInput {
	details := `"inputArtifactDetails":{"minimumCount":0,"maximumCount":1},"outputArtifactDetails":{"minimumCount":0,"maximumCount":1}`
	bare := func(members string) string {
		return `{"category":"Build","provider":"Bad","version":"1",` + members + `}`
	}
	prop := func(p string) string { return bare(`"configurationProperties":[` + p + `],` + details) }
	poll := func(members string) string { return `{"actionTypeId":` + customTypeJSON + `,` + members + `}` }
	job := `"jobId":"` + h.job + `"`
	unknown := `"jobId":"00000000-0000-4000-8000-000000000000"`
	return []badInput{
		{"ErrMembersRequired", "CreateCustomActionType", `{}`, "ValidationException",
			[]string{"5 validation errors", "'category'", "'provider'", "'version'", "'inputArtifactDetails'", "'outputArtifactDetails'"}},
		{"ErrCategory", "CreateCustomActionType", strings.Replace(customTypeBody("Bad"), `"Build"`, `"Cook"`, 1), "ValidationException", []string{"'category'", "Cook"}},
		{"ErrProviderPattern", "CreateCustomActionType", customTypeBody("my provider"), "ValidationException", []string{"'provider'", "regular expression"}},
		{"ErrVersionLength", "CreateCustomActionType", strings.Replace(customTypeBody("Bad"), `"version":"1"`, `"version":"1234567890"`, 1), "ValidationException", []string{"'version'", "9"}},
		{"ErrTemplateLength", "CreateCustomActionType", bare(`"settings":{"entityUrlTemplate":"https://` + strings.Repeat("x", 2048) + `"},` + details), "ValidationException", []string{"settings.entityUrlTemplate", "2048"}},
		{"ErrTooManyProperties", "CreateCustomActionType", prop(strings.TrimSuffix(strings.Repeat(`{"name":"P","required":false,"key":false,"secret":false},`, 11), ",")), "ValidationException", []string{"'configurationProperties'", "10"}},
		{"ErrPropertyNameRequired", "CreateCustomActionType", prop(`{"required":false,"key":false,"secret":false}`), "ValidationException", []string{"configurationProperties.1.member.name"}},
		{"ErrPropertyType", "CreateCustomActionType", prop(`{"name":"P","required":false,"key":false,"secret":false,"type":"Float"}`), "ValidationException", []string{"configurationProperties.1.member.type", "Float"}},
		{"ErrPropertiesObject", "CreateCustomActionType", bare(`"configurationProperties":{},` + details), "SerializationException", []string{"configurationProperties", "list"}},
		{"ErrDuplicateProperty", "CreateCustomActionType", prop(`{"name":"P","required":false,"key":false,"secret":false},{"name":"p","required":false,"key":false,"secret":false}`), "ValidationException", []string{"declared twice"}},
		{"ErrTwoQueryable", "CreateCustomActionType", prop(`{"name":"A","required":true,"key":true,"secret":false,"queryable":true},{"name":"B","required":true,"key":true,"secret":false,"queryable":true}`), "ValidationException", []string{"queryable", "A", "B"}},
		{"ErrSecretInTemplate", "CreateCustomActionType", bare(`"settings":{"executionUrlTemplate":"https://ci/{Config:Token}"},"configurationProperties":[{"name":"Token","required":true,"key":false,"secret":true}],` + details), "ValidationException", []string{"Token"}},
		{"ErrArtifactDetailsRequired", "CreateCustomActionType", bare(`"inputArtifactDetails":{"maximumCount":1}`), "ValidationException", []string{"inputArtifactDetails.minimumCount", "'outputArtifactDetails'"}},
		{"ErrArtifactCount", "CreateCustomActionType", bare(`"inputArtifactDetails":{"minimumCount":0,"maximumCount":6},"outputArtifactDetails":{"minimumCount":-1,"maximumCount":1}`), "ValidationException", []string{"inputArtifactDetails.maximumCount", "outputArtifactDetails.minimumCount", "between 0 and 5"}},
		{"ErrMinimumAboveMaximum", "CreateCustomActionType", bare(`"inputArtifactDetails":{"minimumCount":2,"maximumCount":1},"outputArtifactDetails":{"minimumCount":0,"maximumCount":1}`), "ValidationException", []string{"inputArtifactDetails", "minimumCount 2"}},
		{"ErrSystemTag", "CreateCustomActionType", strings.Replace(customTypeBody("Bad"), `"key":"team"`, `"key":"aws:team"`, 1), "InvalidTagsException", []string{"aws:"}},

		{"ErrMembersRequired", "DeleteCustomActionType", `{}`, "ValidationException", []string{"3 validation errors", "'category'", "'provider'", "'version'"}},
		{"ErrProviderLength", "DeleteCustomActionType", `{"category":"Build","provider":"` + strings.Repeat("p", 36) + `","version":"1"}`, "ValidationException", []string{"'provider'", "35"}},
		{"ErrNotThere", "DeleteCustomActionType", `{"category":"Build","provider":"Nope","version":"1"}`, "ValidationException", []string{"Nope"}},

		{"ErrActionTypeRequired", "PollForJobs", `{}`, "ValidationException", []string{"'actionTypeId'"}},
		{"ErrOwnerRequired", "PollForJobs", `{"actionTypeId":{"category":"Build","provider":"FuzzCI","version":"1"}}`, "ValidationException", []string{"actionTypeId.owner"}},
		{"ErrOwnerAWS", "PollForJobs", `{"actionTypeId":{"category":"Build","owner":"AWS","provider":"CodeBuild","version":"1"}}`, "ValidationException", []string{"owner 'AWS'"}},
		{"ErrMaxBatchSize", "PollForJobs", poll(`"maxBatchSize":0`), "ValidationException", []string{"'maxBatchSize'", "greater than or equal to 1"}},
		{"ErrMaxBatchSizeString", "PollForJobs", poll(`"maxBatchSize":"1"`), "SerializationException", []string{"maxBatchSize", "integer"}},
		{"ErrQueryValue", "PollForJobs", poll(`"queryParam":{"ProjectName":"a b"}`), "ValidationException", []string{"queryParam.value", "regular expression"}},
		{"ErrQueryKey", "PollForJobs", poll(`"queryParam":{"` + strings.Repeat("k", 51) + `":"x"}`), "ValidationException", []string{"queryParam.key", "50"}},
		{"ErrTwoQueries", "PollForJobs", poll(`"queryParam":{"ProjectName":"x","Token":"y"}`), "ValidationException", []string{"'queryParam'", "1"}},
		{"ErrNotQueryable", "PollForJobs", poll(`"queryParam":{"Token":"y"}`), "ValidationException", []string{"queryParam Token"}},
		{"ErrUnknownType", "PollForJobs", `{"actionTypeId":{"category":"Build","owner":"Custom","provider":"Nope","version":"1"}}`, "ActionTypeNotFoundException", []string{"Nope"}},

		{"ErrMembersRequired", "AcknowledgeJob", `{}`, "ValidationException", []string{"2 validation errors", "'jobId'", "'nonce'"}},
		{"ErrJobIDPattern", "AcknowledgeJob", `{"jobId":"../x","nonce":"n"}`, "ValidationException", []string{"'jobId'", "regular expression"}},
		{"ErrNonceLength", "AcknowledgeJob", `{` + job + `,"nonce":"` + strings.Repeat("n", 51) + `"}`, "ValidationException", []string{"'nonce'", "50"}},
		{"ErrStaleNonce", "AcknowledgeJob", `{` + job + `,"nonce":"stale"}`, "InvalidNonceException", []string{h.job}},
		{"ErrUnknownJob", "AcknowledgeJob", `{` + unknown + `,"nonce":"n"}`, "JobNotFoundException", []string{"00000000-0000-4000-8000-000000000000"}},

		{"ErrJobIDRequired", "GetJobDetails", `{}`, "ValidationException", []string{"'jobId'"}},
		{"ErrJobIDNumber", "GetJobDetails", `{"jobId":7}`, "SerializationException", []string{"jobId", "string"}},
		{"ErrUnknownJob", "GetJobDetails", `{` + unknown + `}`, "JobNotFoundException", []string{"00000000-0000-4000-8000-000000000000"}},

		{"ErrJobIDRequired", "PutJobSuccessResult", `{}`, "ValidationException", []string{"'jobId'"}},
		{"ErrRevisionMembers", "PutJobSuccessResult", `{` + job + `,"currentRevision":{}}`, "ValidationException", []string{"currentRevision.revision", "currentRevision.changeIdentifier"}},
		{"ErrCreatedString", "PutJobSuccessResult", `{` + job + `,"currentRevision":{"revision":"r","changeIdentifier":"c","created":"yesterday"}}`, "SerializationException", []string{"created"}},
		{"ErrPercentComplete", "PutJobSuccessResult", `{` + job + `,"executionDetails":{"percentComplete":101}}`, "ValidationException", []string{"executionDetails.percentComplete", "between 0 and 100"}},
		{"ErrSummaryLength", "PutJobSuccessResult", `{` + job + `,"executionDetails":{"summary":"` + strings.Repeat("s", 2049) + `"}}`, "ValidationException", []string{"executionDetails.summary", "2048"}},
		{"ErrExternalIDLength", "PutJobSuccessResult", `{` + job + `,"executionDetails":{"externalExecutionId":"` + strings.Repeat("e", 1501) + `"}}`, "ValidationException", []string{"executionDetails.externalExecutionId", "1500"}},
		{"ErrContinuationLength", "PutJobSuccessResult", `{` + job + `,"continuationToken":"` + strings.Repeat("c", 2049) + `"}`, "ValidationException", []string{"'continuationToken'", "2048"}},
		{"ErrOutputVariableName", "PutJobSuccessResult", `{` + job + `,"outputVariables":{"a b":"x"}}`, "ValidationException", []string{"outputVariables.key", "regular expression"}},
		{"ErrOutputVariablesSize", "PutJobSuccessResult", `{` + job + `,"outputVariables":{"V":"` + strings.Repeat("v", 122880) + `"}}`, "OutputVariablesSizeExceededException", []string{"122880"}},
		{"ErrVariablesWithContinuation", "PutJobSuccessResult", `{` + job + `,"continuationToken":"t","outputVariables":{"V":"1"}}`, "ValidationException", []string{"outputVariables", "continuationToken"}},
		{"ErrUnknownJob", "PutJobSuccessResult", `{` + unknown + `}`, "JobNotFoundException", []string{"00000000-0000-4000-8000-000000000000"}},

		{"ErrMembersRequired", "PutJobFailureResult", `{}`, "ValidationException", []string{"2 validation errors", "'jobId'", "'failureDetails'"}},
		{"ErrFailureType", "PutJobFailureResult", `{` + job + `,"failureDetails":{"type":"Oops","message":"m"}}`, "ValidationException", []string{"failureDetails.type", "Oops"}},
		{"ErrMessageRequired", "PutJobFailureResult", `{` + job + `,"failureDetails":{"type":"JobFailed"}}`, "ValidationException", []string{"failureDetails.message"}},
		{"ErrMessageLength", "PutJobFailureResult", `{` + job + `,"failureDetails":{"type":"JobFailed","message":"` + strings.Repeat("m", 5001) + `"}}`, "ValidationException", []string{"failureDetails.message", "5000"}},
		{"ErrDetailsString", "PutJobFailureResult", `{` + job + `,"failureDetails":"broke"}`, "SerializationException", []string{"failureDetails", "object"}},
		{"ErrUnknownJob", "PutJobFailureResult", `{` + unknown + `,"failureDetails":{"type":"JobFailed","message":"m"}}`, "JobNotFoundException", []string{"00000000-0000-4000-8000-000000000000"}},

		{"ErrMembersRequired", "PollForWorkerJobs", `{}`, "ValidationException", []string{"2 validation errors", "'actionTypeIds'", "'worker'"}},
		{"ErrOwnerCustom", "PollForWorkerJobs", `{"actionTypeIds":[` + customTypeJSON + `],"worker":"w"}`, "ValidationException", []string{"actionTypeIds.1.member.owner"}},
		{"ErrLabel", "PollForWorkerJobs", `{"actionTypeIds":[{"category":"Compute","owner":"AWS","provider":"Commands","version":"1"}],"labels":["a b"],"worker":"w"}`, "ValidationException", []string{"labels.1.member", "regular expression"}},
		{"ErrTooManyLabels", "PollForWorkerJobs", `{"actionTypeIds":[{"category":"Compute","owner":"AWS","provider":"Commands","version":"1"}],"labels":[` + strings.TrimSuffix(strings.Repeat(`"l",`, 21), ",") + `],"worker":"w"}`, "ValidationException", []string{"'labels'", "20"}},
		{"ErrWaitSeconds", "PollForWorkerJobs", `{"actionTypeIds":[{"category":"Compute","owner":"AWS","provider":"Commands","version":"1"}],"waitSeconds":21,"worker":"w"}`, "ValidationException", []string{"'waitSeconds'", "between 0 and 20"}},
	}
}
