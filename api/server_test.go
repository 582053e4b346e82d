package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/api/sigv4"
	"sluice/service"
)

type counterIDs struct{ n atomic.Int64 }

func (c *counterIDs) NewID() string {
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", c.n.Add(1))
}

// setupFailing serves the API with an action type source that fails as actionTypes does, and
// returns an SDK client for it.
func setupFailing(t *testing.T, actionTypes func(context.Context) ([]sluice.ActionType, error)) *codepipeline.Client {
	t.Helper()
	s := &Server{Log: slog.New(slog.DiscardHandler), IDs: &counterIDs{}, Service: &service.Service{ActionTypes: actionTypes},
		Verifier: &sigv4.Verifier{Clock: time.Now, Lookup: func(context.Context, string) (string, string, error) {
			return "secret", "arn:aws:iam::000000000000:user/test", nil
		}}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIATEST", "secret", ""), RetryMaxAttempts: 1}
	return codepipeline.NewFromConfig(cfg, func(o *codepipeline.Options) { o.BaseEndpoint = aws.String(srv.URL) })
}

// requireInternalFailure checks that err is a generic InternalFailure (HTTP 500) that names
// the request id and none of the detail.
func requireInternalFailure(t *testing.T, err error, detail string) {
	t.Helper()
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae), "want InternalFailure, got %v", err)
	require.Equal(t, "InternalFailure", ae.ErrorCode())
	require.NotContains(t, ae.ErrorMessage(), detail)
	var re *awshttp.ResponseError
	require.True(t, errors.As(err, &re))
	require.Equal(t, http.StatusInternalServerError, re.HTTPStatusCode())
	require.NotEmpty(t, re.ServiceRequestID())
	require.Contains(t, ae.ErrorMessage(), re.ServiceRequestID())
}

func TestInternalFailure(t *testing.T) {
	t.Parallel()

	t.Run("ErrorHasNoDetail", func(t *testing.T) {
		t.Parallel()
		cp := setupFailing(t, func(context.Context) ([]sluice.ActionType, error) {
			return nil, errors.New("disk on fire at /var/lib/sluice")
		})
		_, err := cp.ListActionTypes(t.Context(), &codepipeline.ListActionTypesInput{})
		requireInternalFailure(t, err, "disk on fire")
	})

	t.Run("PanicHasNoDetail", func(t *testing.T) {
		t.Parallel()
		cp := setupFailing(t, func(context.Context) ([]sluice.ActionType, error) { panic("nil map in catalog") })
		_, err := cp.ListActionTypes(t.Context(), &codepipeline.ListActionTypesInput{})
		requireInternalFailure(t, err, "nil map")
	})

	t.Run("CoreInternalErrorHasNoDetail", func(t *testing.T) {
		t.Parallel()
		cp := setupFailing(t, func(context.Context) ([]sluice.ActionType, error) {
			return nil, sluice.Errorf(sluice.EInternal, "", "constraint failed: UNIQUE action_runs.id")
		})
		_, err := cp.ListActionTypes(t.Context(), &codepipeline.ListActionTypesInput{})
		requireInternalFailure(t, err, "UNIQUE")
	})
}

// TestConcurrentFirstRequests serves the first requests of a server at once; under -race it
// catches an unguarded lazy set-up.
func TestConcurrentFirstRequests(t *testing.T) {
	t.Parallel()
	h := newBareHarness(t)
	start := make(chan struct{})
	statuses := make(chan int, 8)
	for range cap(statuses) {
		req := httptest.NewRequest(http.MethodPost, "http://sluice.test/", strings.NewReader("{}"))
		req.Header.Set("X-Amz-Target", pipelineTarget+"ListPipelines")
		h.sign(t, req, []byte("{}"))
		go func() {
			<-start
			statuses <- h.serve(req).status
		}()
	}
	close(start)
	for range cap(statuses) {
		require.Equal(t, http.StatusOK, <-statuses)
	}
}
