package api

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice/jobqueue"
)

// TestJobResults covers what happens to a job after its result: it cannot be acknowledged
// or reported again.
func TestJobResults(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.seedJob(t)
	h.ok(t, pipelineTarget+"AcknowledgeJob", `{"jobId":"`+h.job+`","nonce":"`+h.nonce+`"}`)
	h.ok(t, pipelineTarget+"PutJobFailureResult", `{"jobId":"`+h.job+`","failureDetails":{"type":"JobFailed","message":"broke"}}`)

	t.Run("ErrAcknowledgeFinished", func(t *testing.T) {
		t.Parallel()
		r := h.call(t, pipelineTarget+"AcknowledgeJob", []byte(`{"jobId":"`+h.job+`","nonce":"`+h.nonce+`"}`))
		r.requireError(t, "InvalidNonceException", h.job, "no longer open")
	})
	t.Run("ErrReportAgain", func(t *testing.T) {
		t.Parallel()
		r := h.call(t, pipelineTarget+"PutJobSuccessResult", []byte(`{"jobId":"`+h.job+`"}`))
		r.requireError(t, "InvalidJobStateException", h.job)
	})
	t.Run("DetailsStayReadable", func(t *testing.T) {
		t.Parallel()
		h.ok(t, pipelineTarget+"GetJobDetails", `{"jobId":"`+h.job+`"}`)
	})
}

// signalClock is a real clock that closes claimed the first time the queue reads it, which
// it does as a poll first looks for jobs.
type signalClock struct {
	once    sync.Once
	claimed chan struct{}
}

func (c *signalClock) Now() time.Time {
	c.once.Do(func() { close(c.claimed) })
	return time.Now().UTC()
}

// longPoll starts a PollForJobs for the custom type that waits up to 20 seconds; it returns
// a channel that receives the response, once the poll has first looked for jobs.
func longPoll(t *testing.T, h *harness, ctx context.Context) <-chan *response {
	t.Helper()
	clock := &signalClock{claimed: make(chan struct{})}
	h.srv.Service.Queue = &jobqueue.Queue{Store: h.db, Clock: clock, Lease: 30 * time.Second}
	body := []byte(`{"actionTypeId":` + customTypeJSON + `,"queryParam":{"ProjectName":"nobody"}}`)
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "http://sluice.test/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", pipelineTarget+"PollForJobs")
	req.Header.Set(PollWaitHeader, "20")
	h.sign(t, req, body)
	done := make(chan *response, 1)
	go func() { done <- h.serve(req) }()
	<-clock.claimed
	return done
}

// TestLongPoll covers PollForJobs with the wait header: a client that goes away and a server
// that shuts down end the wait, and neither is an error of the server.
func TestLongPoll(t *testing.T) {
	t.Parallel()
	setup := func(t *testing.T) *harness {
		t.Helper()
		h := newBareHarness(t)
		h.ok(t, pipelineTarget+"CreateCustomActionType", customTypeBody(customProvider))
		return h
	}

	t.Run("ClientGone", func(t *testing.T) {
		t.Parallel()
		h := setup(t)
		ctx, cancel := context.WithCancel(context.Background())
		done := longPoll(t, h, ctx)
		cancel()
		<-done
		require.Empty(t, h.log.String(), "a poll its client left logged a warning or error")
	})
	t.Run("Shutdown", func(t *testing.T) {
		t.Parallel()
		h := setup(t)
		done := longPoll(t, h, context.Background())
		h.srv.StopWaiting()
		r := <-done
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		require.JSONEq(t, `{"jobs":[]}`, string(r.body))
		require.Empty(t, h.log.String())
	})
	t.Run("ErrWaitNotANumber", func(t *testing.T) {
		t.Parallel()
		h := setup(t)
		body := []byte(`{"actionTypeId":` + customTypeJSON + `}`)
		req := httptest.NewRequest(http.MethodPost, "http://sluice.test/", bytes.NewReader(body))
		req.Header.Set("X-Amz-Target", pipelineTarget+"PollForJobs")
		req.Header.Set(PollWaitHeader, "soon")
		h.sign(t, req, body)
		h.serve(req).requireError(t, "ValidationException", PollWaitHeader, "soon")
	})
}

// TestCustomTypeInState checks that GetPipelineState links a custom action to its entity
// with the type's entityUrlTemplate.
func TestCustomTypeInState(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.seedJob(t)
	r := h.call(t, pipelineTarget+"GetPipelineState", []byte(`{"name":"`+customPipeline+`"}`))
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	require.Contains(t, string(r.body), `"entityUrl":"https://ci.example.com/job/app/"`)
}
