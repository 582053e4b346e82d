package lambda

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

const signedExample = "76c83fd0acdf22faed320674fe8e04d528cfe8a17905e720a9611e40677c03b7"

// TestSign checks the signature against an HMAC computed independently, with openssl:
// printf '1700000000.Hello, World!' | openssl dgst -sha256 -hmac "It's a Secret to Everybody"
func TestSign(t *testing.T) {
	t.Parallel()
	require.Equal(t, "sha256="+signedExample, Sign("It's a Secret to Everybody", 1700000000, []byte("Hello, World!")))
	require.NotEqual(t, Sign("s", 1700000000, []byte("x")), Sign("s", 1700000001, []byte("x")), "the time is signed")
}

func TestInvoke(t *testing.T) {
	t.Parallel()

	t.Run("AcceptedGetsTheWindow", func(t *testing.T) {
		t.Parallel()
		var got *http.Request
		var body []byte
		b := setup(t, func(w http.ResponseWriter, r *http.Request) {
			got, body = r, must(io.ReadAll(r.Body))
			w.WriteHeader(http.StatusAccepted)
		})
		b.inv.invoke(t.Context(), job("fn"))
		require.Equal(t, now.Add(5*time.Minute), b.store.acks["job-1"])
		b.noReport(t)

		require.Equal(t, http.MethodPost, got.Method)
		require.Equal(t, "/hook", got.URL.Path)
		require.Equal(t, "application/json", got.Header.Get("Content-Type"))
		require.Equal(t, strconv.FormatInt(now.Unix(), 10), got.Header.Get(TimestampHeader))
		require.Equal(t, Sign(secret, now.Unix(), body), got.Header.Get(SignatureHeader))
		require.Equal(t, "delivery-1", got.Header.Get(DeliveryHeader))
		var event struct {
			Job struct {
				ID   string `json:"id"`
				Data struct {
					ActionConfiguration struct {
						Configuration map[string]string `json:"configuration"`
					} `json:"actionConfiguration"`
				} `json:"data"`
			} `json:"CodePipeline.job"`
		}
		require.NoError(t, json.Unmarshal(body, &event))
		require.Equal(t, "job-1", event.Job.ID)
		require.Equal(t, map[string]string{"FunctionName": "fn", "UserParameters": "hello"}, event.Job.Data.ActionConfiguration.Configuration)
	})

	t.Run("RetriedWhileUnavailable", func(t *testing.T) {
		t.Parallel()
		var calls atomic.Int32
		deliveries := make(chan string, 3)
		b := setup(t, func(w http.ResponseWriter, r *http.Request) {
			deliveries <- r.Header.Get(DeliveryHeader)
			if calls.Add(1) == 1 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			w.WriteHeader(http.StatusOK)
		})
		b.inv.invoke(t.Context(), job("fn"))
		require.Equal(t, int32(2), calls.Load())
		require.Equal(t, <-deliveries, <-deliveries, "a retry is the same delivery")
		require.Contains(t, b.store.acks, "job-1")
		b.noReport(t)
	})

	t.Run("ServerErrorFailsNamingTheStatus", func(t *testing.T) {
		t.Parallel()
		var calls atomic.Int32
		b := setup(t, func(w http.ResponseWriter, _ *http.Request) {
			calls.Add(1)
			http.Error(w, "boom", http.StatusInternalServerError)
		})
		b.inv.invoke(t.Context(), job("fn"))
		require.Equal(t, int32(DefaultAttempts), calls.Load())
		res := b.failure(t)
		require.Equal(t, sluice.FailureJobFailed, res.ErrorType)
		require.Equal(t, "Sluice could not invoke the function fn: it answered HTTP 500 Internal Server Error: boom (3 attempts)", res.ErrorMessage)
		require.Equal(t, "nonce-1", res.Nonce)
		require.Empty(t, b.store.acks)
	})

	t.Run("ClientErrorIsNotRetried", func(t *testing.T) {
		t.Parallel()
		var calls atomic.Int32
		b := setup(t, func(w http.ResponseWriter, _ *http.Request) {
			calls.Add(1)
			w.WriteHeader(http.StatusForbidden)
		})
		b.inv.invoke(t.Context(), job("fn"))
		require.Equal(t, int32(1), calls.Load())
		require.Equal(t, "Sluice could not invoke the function fn: it answered HTTP 403 Forbidden", b.failure(t).ErrorMessage)
	})

	t.Run("RedirectIsNotFollowed", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		})
		b.inv.invoke(t.Context(), job("fn"))
		require.Contains(t, b.failure(t).ErrorMessage, "HTTP 302 Found")
	})

	t.Run("UnreachableFailsWithoutTheURL", func(t *testing.T) {
		t.Parallel()
		b := setup(t, nil)
		b.inv.Functions = functions{"fn": {Name: "fn", URL: "http://user:pw@127.0.0.1:1/hook", Secret: secret}}
		b.inv.invoke(t.Context(), job("fn"))
		msg := b.failure(t).ErrorMessage
		require.Contains(t, msg, "Sluice could not invoke the function fn: ")
		require.Contains(t, msg, "(3 attempts)")
		require.NotContains(t, msg, "pw@", "the URL may hold credentials")
	})

	t.Run("UnregisteredIsAConfigurationError", func(t *testing.T) {
		t.Parallel()
		b := setup(t, nil)
		b.inv.invoke(t.Context(), job("other"))
		res := b.failure(t)
		require.Equal(t, sluice.FailureConfigurationError, res.ErrorType)
		require.Equal(t, "Function other is not registered in Sluice: register it with sluice functions put other --url ...", res.ErrorMessage)
	})

	t.Run("ReportedBeforeTheAnswer", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
		b.store.ackErr = sluice.Errorf(sluice.EInvalidJobState, "", "closed")
		b.inv.invoke(t.Context(), job("fn"))
		b.noReport(t)
	})

	t.Run("ShutdownLeavesTheJob", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		b := setup(t, func(w http.ResponseWriter, _ *http.Request) {
			cancel()
			w.WriteHeader(http.StatusServiceUnavailable)
		})
		b.inv.invoke(ctx, job("fn"))
		b.noReport(t)
		require.Empty(t, b.store.acks, "the dispatch lease runs out and the job is invoked again")
	})
}

// TestRun checks that a queued job is claimed and invoked when the queue is woken, and that
// Run returns when its context ends.
func TestRun(t *testing.T) {
	t.Parallel()
	invoked := make(chan struct{}, 1)
	b := setup(t, func(w http.ResponseWriter, _ *http.Request) {
		invoked <- struct{}{}
		w.WriteHeader(http.StatusAccepted)
	})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.inv.Run(ctx)
	}()
	j := job("fn")
	j.Status, j.Nonce = sluice.JobQueued, ""
	b.store.mu.Lock()
	b.store.queued = append(b.store.queued, j)
	b.store.mu.Unlock()
	b.inv.Queue.Wake()
	<-invoked
	require.Equal(t, "job-1", <-b.store.acked)
	require.Equal(t, string(sluice.WorkerLambda)+":test", j.Worker)
	require.Equal(t, now.Add(b.inv.dispatchLease()), j.LeaseExpiresAt, "claimed for the attempts, not the window")
	cancel()
	<-done
}

func TestUnanswered(t *testing.T) {
	t.Parallel()
	typ, msg := Unanswered(job("deploy-fn"))
	require.Equal(t, sluice.FailureJobFailed, typ)
	require.Equal(t, "The AWS Lambda function deploy-fn failed to return a result. Check the function to verify that it has "+
		"permission to call the PutJobSuccessResult action and that it made a call to PutJobSuccessResult.", msg)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
