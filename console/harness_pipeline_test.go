package console_test

import (
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/service"
)

var (
	pipeCodeCommit = sluice.ActionTypeID{Category: "Source", Owner: "AWS", Provider: "CodeCommit", Version: "1"}
	pipeManual     = sluice.ActionTypeID{Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1"}
)

// pipeApprovalDecl is a pipeline whose second stage waits for a person: Source (CodeCommit),
// then Review with the Manual approval Gate. Nothing but the source needs a worker; the
// tests play the source's worker with pipeRunSources.
func pipeApprovalDecl(name string, mode sluice.ExecutionMode) sluice.PipelineDeclaration {
	src := sluice.ActionDeclaration{Name: "Src", ActionTypeID: pipeCodeCommit,
		Configuration:   map[string]string{"RepositoryName": "r", "BranchName": "main"},
		OutputArtifacts: []sluice.OutputArtifact{{Name: "Code"}}}
	gate := sluice.ActionDeclaration{Name: "Gate", ActionTypeID: pipeManual,
		Configuration: map[string]string{"CustomData": "Check the staging site first", "ExternalEntityLink": "https://staging.example/app"}}
	return sluice.PipelineDeclaration{Name: name, RoleArn: "arn:aws:iam::" + account + ":role/p", PipelineType: "V2",
		ExecutionMode: mode, ArtifactStore: &sluice.ArtifactStoreDecl{Type: "S3", Location: "bucket"},
		Stages: []sluice.StageDeclaration{{Name: "Source", Actions: []sluice.ActionDeclaration{src}},
			{Name: "Review", Actions: []sluice.ActionDeclaration{gate}}}}
}

// pipeCreate creates decl with tags through the core (which starts its first run).
func (f *fixture) pipeCreate(decl sluice.PipelineDeclaration, tags ...sluice.Tag) {
	_, err := f.core.CreatePipeline(f.ctx, rootCaller, decl, tags)
	require.NoError(f.t, err)
}

// pipeRunSources plays the source actions' worker: every queued job succeeds with a commit.
func (f *fixture) pipeRunSources() {
	jobs, err := f.db.ClaimJobs(f.ctx, sluice.ClaimParams{Worker: "test", Limit: 100, Now: f.clock.Now(),
		LeaseFor: time.Minute, Acknowledge: true})
	require.NoError(f.t, err)
	for _, j := range jobs {
		require.NoError(f.t, f.core.Engine.JobResult(f.ctx, sluice.JobResult{JobID: j.ID, Nonce: j.Nonce, Success: true,
			Revision: &sluice.Revision{RevisionID: "c0ffee" + j.ExecutionID[len(j.ExecutionID)-4:]}}))
	}
}

// pipeState is the pipeline's state as the core has it.
func (f *fixture) pipeState(name string) *sluice.PipelineState {
	st, err := f.core.PipelineState(f.ctx, rootCaller, name)
	require.NoError(f.t, err)
	return st
}

// pipeExecutions lists the pipeline's executions, newest first.
func (f *fixture) pipeExecutions(name string) []*sluice.Execution {
	es, _, err := f.core.ListExecutions(f.ctx, rootCaller, name, sluice.ExecutionFilter{})
	require.NoError(f.t, err)
	return es
}

// pipeEvents are the audit trail's records of one operation.
func (f *fixture) pipeEvents(op string) []*sluice.AuditEvent {
	evs, _, err := f.core.LookupEvents(f.ctx, sluice.ServerCaller(), service.LookupParams{Attributes: []service.LookupAttribute{{Key: "EventName", Value: op}}})
	require.NoError(f.t, err)
	return evs
}

// pipeReader is a browser signed in as a user with AWS's read-only policy for CodePipeline.
func (f *fixture) pipeReader() *browser {
	root := rootCaller
	_, err := f.core.CreateUser(f.ctx, root, "reader", "/")
	require.NoError(f.t, err)
	owner := sluice.PolicyOwner{Kind: sluice.OwnerUser, Name: "reader"}
	require.NoError(f.t, f.core.AttachPolicy(f.ctx, root, owner, "arn:aws:iam::aws:policy/AWSCodePipeline_ReadOnlyAccess"))
	k, err := f.core.CreateAccessKey(f.ctx, root, "reader")
	require.NoError(f.t, err)
	return f.signIn(k.ID, k.Secret)
}
