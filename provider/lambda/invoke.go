package lambda

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"sluice"
	"sluice/callout"
)

// invoke runs one claimed job: look the function up, POST it the event, and on a 2xx give
// it the window to report.
func (inv *Invoker) invoke(ctx context.Context, j *sluice.Job) {
	name := j.Data.Configuration["FunctionName"]
	f, err := inv.Functions.GetFunction(ctx, name)
	switch {
	case sluice.IsCode(err, sluice.ENotFound):
		inv.fail(ctx, j, sluice.FailureConfigurationError, fmt.Sprintf(
			"Function %s is not registered in Sluice: register it with sluice functions put %s --url ...", name, name))
		return
	case err != nil:
		// The store is failing: the dispatch lease runs out and the job is offered again.
		inv.Log.Error("look up function", "job", j.ID, "function", name, "err", err)
		return
	}
	body, err := json.Marshal(inv.Wire.LambdaEvent(j))
	if err != nil {
		inv.fail(ctx, j, sluice.FailureJobFailed, "Sluice could not encode the job event: "+err.Error())
		return
	}
	delivery := inv.IDs.NewID()
	err = inv.post(ctx, f, body, delivery)
	if ctx.Err() != nil {
		return // shutting down: the dispatch lease runs out and the job is invoked again
	}
	if err != nil {
		inv.Log.Warn("invoke function", "job", j.ID, "function", name, "delivery", delivery, "err", err)
		inv.fail(ctx, j, sluice.FailureJobFailed, fmt.Sprintf("Sluice could not invoke the function %s: %v", name, err))
		return
	}
	inv.Log.Info("invoked function", "job", j.ID, "function", name, "delivery", delivery)
	_, err = inv.Queue.Store.AcknowledgeJob(ctx, j.ID, j.Nonce, inv.Queue.Clock.Now().Add(inv.Window))
	switch {
	case err == nil, sluice.IsCode(err, sluice.EInvalidJobState), sluice.IsCode(err, sluice.ENotFound):
		// Acknowledged, or the function reported (or the action ended) before the answer came.
	default:
		inv.Log.Error("acknowledge invoked job", "job", j.ID, "function", name, "err", err)
	}
}

// fail ends the job's action with a failure of typ.
func (inv *Invoker) fail(ctx context.Context, j *sluice.Job, typ, msg string) {
	inv.Report.Settle(ctx, j, sluice.JobResult{ErrorType: typ, ErrorMessage: msg}, inv.Log)
}

// maxExcerpt bounds how much of a refusing answer's body the failure message quotes.
const maxExcerpt = 200

// post delivers body to f, again after a backoff while f cannot be reached or answers 5xx or
// 429, up to Attempts times. Every attempt carries the same delivery id, so a function can
// tell a retry from a new invocation.
func (inv *Invoker) post(ctx context.Context, f *sluice.Function, body []byte, delivery string) error {
	return callout.Retry(ctx, inv.Attempts, inv.Backoff, func() (bool, error) { return inv.postOnce(ctx, f, body, delivery) })
}

// postOnce makes one POST; retry says whether another attempt may succeed.
func (inv *Invoker) postOnce(ctx context.Context, f *sluice.Function, body []byte, delivery string) (retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.URL, bytes.NewReader(body))
	if err != nil {
		return false, fmt.Errorf("its URL cannot be used: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Sluice")
	sent := inv.Queue.Clock.Now().Unix()
	req.Header.Set(TimestampHeader, strconv.FormatInt(sent, 10))
	req.Header.Set(SignatureHeader, Sign(f.Secret, sent, body))
	req.Header.Set(DeliveryHeader, delivery)
	resp, err := inv.HTTP.Do(req)
	if err != nil {
		return true, callout.Bare(err) // without the URL, which may hold credentials
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, maxExcerpt+1))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // so the connection is reused
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return false, nil
	}
	return callout.Retryable(resp.StatusCode), fmt.Errorf("it answered HTTP %s%s", resp.Status, callout.Excerpt(head, maxExcerpt))
}
