package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"

	"sluice/logclient"
)

// followPoll is how often a whole execution's follower looks for actions that started.
const followPoll = time.Second

// followExecution prints the logs of every action of o.execution as the execution reaches
// them, each line prefixed with its time and STAGE/ACTION, until the execution has ended and
// every log is read. It returns exitCode(1) unless the execution Succeeded.
func followExecution(ctx context.Context, out, errOut io.Writer, pipeline string, o logsOptions, provider aws.CredentialsProvider) error {
	f := &executionFollower{cp: pipelineClientOf(o.endpoint, provider), pipeline: pipeline, execution: o.execution,
		logs: &logclient.Client{BaseURL: o.endpoint, Credentials: provider, Region: clientRegion()},
		out:  out, errOut: errOut, following: map[string]bool{}}
	status, err := f.run(ctx)
	if err != nil || ctx.Err() != nil {
		return err
	}
	fmt.Fprintf(errOut, "==> execution %s %s\n", o.execution, status)
	if status != types.PipelineExecutionStatusSucceeded {
		return exitCode(1)
	}
	return nil
}

// executionFollower follows one execution: a goroutine per action execution with a log.
type executionFollower struct {
	cp                  *codepipeline.Client
	logs                *logclient.Client
	pipeline, execution string
	mu                  sync.Mutex // serialises what the followers print
	out, errOut         io.Writer
	following           map[string]bool // action execution ids
	wg                  sync.WaitGroup
}

// run polls the execution until it ends, starting a follower for each action that starts,
// then waits for the followers; it returns the execution's final status.
func (f *executionFollower) run(ctx context.Context) (types.PipelineExecutionStatus, error) {
	defer f.wg.Wait()
	tick := time.NewTicker(followPoll)
	defer tick.Stop()
	for {
		// The status first: an execution seen ended has no action left to start after the
		// list below.
		e, err := f.cp.GetPipelineExecution(ctx, &codepipeline.GetPipelineExecutionInput{
			PipelineName: aws.String(f.pipeline), PipelineExecutionId: aws.String(f.execution)})
		if err != nil {
			return "", apiMessage(err)
		}
		runs, err := actionExecutions(ctx, f.cp, f.pipeline, f.execution)
		if err != nil {
			return "", apiMessage(err)
		}
		for i := len(runs) - 1; i >= 0; i-- { // oldest first
			f.start(ctx, runs[i])
		}
		switch st := e.PipelineExecution.Status; st {
		case types.PipelineExecutionStatusInProgress, types.PipelineExecutionStatusStopping:
		default:
			return st, nil
		}
		select {
		case <-ctx.Done():
			return "", nil
		case <-tick.C:
		}
	}
}

// start follows r's log, once, unless it is an approval's.
func (f *executionFollower) start(ctx context.Context, r types.ActionExecutionDetail) {
	id := aws.ToString(r.ActionExecutionId)
	if f.following[id] || isApproval(&r) {
		return
	}
	f.following[id] = true
	name := aws.ToString(r.StageName) + "/" + aws.ToString(r.ActionName)
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		status, err := f.follow(ctx, id, name)
		f.mu.Lock()
		defer f.mu.Unlock()
		switch {
		case err != nil && ctx.Err() == nil:
			fmt.Fprintf(f.errOut, "==> %s: reading the log: %v\n", name, err)
		case err == nil:
			fmt.Fprintf(f.errOut, "==> %s %s\n", name, status)
		}
	}()
}

// follow prints one action's log as it grows, each line prefixed; it returns the action's
// status at the end.
func (f *executionFollower) follow(ctx context.Context, id, name string) (string, error) {
	log, err := f.logs.Open(ctx, logclient.ReadParams{Pipeline: f.pipeline, ActionExecutionID: id, Follow: true})
	if err != nil {
		return "", err
	}
	defer log.Close()
	r := bufio.NewReader(log)
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			f.printLine(name, line)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", err
		}
	}
	_, status, ok := log.End()
	if !ok || status == string(types.ActionExecutionStatusInProgress) {
		return "", errors.New("the log stream ended before the action did (did the server stop?)")
	}
	return status, nil
}

func (f *executionFollower) printLine(name, line string) {
	if line[len(line)-1] != '\n' {
		line += "\n" // the last line of a log without its newline
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	fmt.Fprintf(f.out, "%s %s | %s", time.Now().Format("15:04:05"), name, line)
}
