package runner

import (
	"context"
	"io"

	"sluice"
	"sluice/actionlog"
)

// LogSink stores the logs of action runs. Open is called once per job, from the job's
// goroutine; the writer it returns is used by one goroutine at a time and closed when the
// job ends. Open returns *sluice.Error EInvalid for a log it cannot store.
type LogSink interface {
	// Open returns a writer that appends to the log of ref.ActionRunID (continuation jobs of
	// one action run share its log); ref.PipelineName is the pipeline the run belongs to,
	// for sinks that store logs elsewhere (a remote worker sends them to the server).
	Open(ctx context.Context, ref sluice.ActionRef) (io.WriteCloser, error)
}

var _ LogSink = (*actionlog.FileSink)(nil)
