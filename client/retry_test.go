package client_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"

	"sluice/client"
)

// breaking is a server whose first `breaks` requests lose their connection before any answer:
// the odd ones closed, the even ones reset (an RST, as a server killed or an idle timeout
// racing the request gives). Later requests get answer.
func breaking(t *testing.T, breaks int32, answer string) (*httptest.Server, *atomic.Int32) {
	calls := &atomic.Int32{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if n > breaks {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			_, _ = w.Write([]byte(answer))
			return
		}
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		if n%2 == 0 {
			_ = conn.(*net.TCPConn).SetLinger(0)
		}
		_ = conn.Close()
	}))
	t.Cleanup(srv.Close)
	return srv, calls
}

var creds = credentials.NewStaticCredentialsProvider("AKIAEXAMPLE", "secret", "")

func TestCallRetriesABrokenConnection(t *testing.T) {
	t.Parallel()

	t.Run("Succeeds", func(t *testing.T) {
		t.Parallel()
		srv, calls := breaking(t, client.Attempts-1, `{"answer":42}`)
		var out struct {
			Answer int `json:"answer"`
		}
		c := client.New(srv.URL, "us-east-1", creds, nil)
		require.NoError(t, c.Call(t.Context(), "Test.Ok", "codepipeline", map[string]string{}, &out))
		require.Equal(t, 42, out.Answer)
		require.EqualValues(t, client.Attempts, calls.Load())
	})

	t.Run("GivesUpAfterAttempts", func(t *testing.T) {
		t.Parallel()
		srv, calls := breaking(t, 1000, `{}`)
		err := client.New(srv.URL, "us-east-1", creds, nil).Call(t.Context(), "Test.Ok", "codepipeline", map[string]string{}, nil)
		require.Error(t, err)
		require.True(t, client.Transient(err), "%v", err)
		require.EqualValues(t, client.Attempts, calls.Load())
	})

	t.Run("AnAnswerIsNotRetried", func(t *testing.T) {
		t.Parallel()
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			w.WriteHeader(http.StatusInternalServerError)
		}))
		t.Cleanup(srv.Close)
		err := client.New(srv.URL, "us-east-1", creds, nil).Call(t.Context(), "Test.Ok", "codepipeline", map[string]string{}, nil)
		var ae *client.APIError
		require.ErrorAs(t, err, &ae)
		require.EqualValues(t, 1, calls.Load())
	})
}

// The SDK clients of `sluice worker` and `sluice logs` retry a broken connection too.
func TestRetryerRetriesABrokenConnection(t *testing.T) {
	t.Parallel()
	srv, calls := breaking(t, client.Attempts-1, `{"pipelines":[]}`)
	cp := codepipeline.New(codepipeline.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: creds, Retryer: client.Retryer()})
	_, err := cp.ListPipelines(t.Context(), &codepipeline.ListPipelinesInput{})
	require.NoError(t, err)
	require.EqualValues(t, client.Attempts, calls.Load())
}

// An artifact transfer rides out a server answering 500 for a while (its database restarting),
// where an ordinary call gives up.
func TestArtifactRetryerRidesOutARestart(t *testing.T) {
	t.Parallel()
	const failures = client.Attempts + 3
	get := func(t *testing.T, r aws.Retryer) error {
		calls := &atomic.Int32{}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			if calls.Add(1) <= failures {
				w.Header().Set("Content-Type", "application/xml")
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = w.Write([]byte(`<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>`))
				return
			}
			_, _ = w.Write([]byte("zip"))
		}))
		t.Cleanup(srv.Close)
		c := s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true, Credentials: creds,
			Retryer: retry.AddWithMaxBackoffDelay(r, time.Millisecond)}) // the attempts, not the waits, are under test
		_, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("artifacts"), Key: aws.String("a.zip")})
		return err
	}
	require.NoError(t, get(t, client.ArtifactRetryer()))
	require.ErrorContains(t, get(t, client.Retryer()), "StatusCode: 500")
}
