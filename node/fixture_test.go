package node_test

import (
	"context"
	"testing"

	"sluice/config"
	"sluice/node/nodetest"
)

// The full-server fixture lives in node/nodetest; these names keep the tests short.
type (
	bundle     = nodetest.Bundle
	testWriter = nodetest.TestWriter
	signal     = nodetest.Signal
)

const (
	testKeyID  = nodetest.KeyID
	testSecret = nodetest.Secret
	srcRepo    = nodetest.SrcRepo
)

var (
	setup          = nodetest.Setup
	setupWith      = nodetest.SetupWith
	clients        = nodetest.Clients
	gitEnv         = nodetest.GitEnv
	git            = nodetest.Git
	authURL        = nodetest.AuthURL
	pipeline       = nodetest.Pipeline
	stage          = nodetest.Stage
	cmdAction      = nodetest.CmdAction
	approval       = nodetest.Approval
	stageState     = nodetest.StageState
	newGate        = nodetest.NewGate
	decodePipeline = nodetest.DecodePipeline
	freeAddr       = nodetest.FreeAddr
	sluiceBinary   = nodetest.SluiceBinary
	newSignal      = nodetest.NewSignal
	workDir        = nodetest.WorkDir
	appPipeline    = nodetest.AppPipeline
	pushApp        = nodetest.PushApp
	readLine       = nodetest.ReadLine
)

// conformance is a running server with a source repository holding one commit: pipelines
// built with pipeline() run their first execution (trigger CreatePipeline) on it.
type conformance struct {
	*bundle
	ctx context.Context
}

func setupConformance(t *testing.T) *conformance {
	t.Helper()
	return setupConformanceWith(t, func(*config.Server) {})
}

// setupConformanceWith is setupConformance on a server whose configuration edit may change.
func setupConformanceWith(t *testing.T, edit func(*config.Server)) *conformance {
	t.Helper()
	b := setupWith(t, edit)
	b.SeedRepo(t, srcRepo)
	return &conformance{bundle: b, ctx: context.Background()}
}
