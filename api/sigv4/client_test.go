package sigv4

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"
)

// TestVerifySDKClient sends real calls of the SDK's CodePipeline client, with every header its
// middleware adds, to a server that verifies them on the real clock.
func TestVerifySDKClient(t *testing.T) {
	t.Parallel()

	call := func(t *testing.T, secret string) error {
		t.Helper()
		b := setup(t)
		b.verifier.Clock = nil
		srv := httptest.NewServer(verifyingHandler(b.verifier))
		t.Cleanup(srv.Close)
		client := codepipeline.New(codepipeline.Options{
			Region:           "us-east-1",
			BaseEndpoint:     aws.String(srv.URL + "/"),
			Credentials:      credentials.NewStaticCredentialsProvider(testKeyID, secret, ""),
			RetryMaxAttempts: 1,
		})
		_, err := client.ListPipelines(context.Background(), &codepipeline.ListPipelinesInput{})
		return err
	}

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		require.NoError(t, call(t, testSecret))
	})

	t.Run("ErrWrongSecret", func(t *testing.T) {
		t.Parallel()
		var apiErr smithy.APIError
		require.True(t, errors.As(call(t, "wrong"), &apiErr))
		require.Equal(t, NameInvalidSignature, apiErr.ErrorCode())
	})
}

// verifyingHandler answers like the API will: an empty list, or the AuthError as AWS JSON.
func verifyingHandler(v *Verifier) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err == nil {
			_, err = v.Verify(r, body)
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		var authErr *AuthError
		if errors.As(err, &authErr) {
			w.WriteHeader(authErr.Status)
			fmt.Fprintf(w, `{"__type":%q,"message":%q}`, authErr.Name, authErr.Message)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, `{"pipelines":[]}`)
	})
}
