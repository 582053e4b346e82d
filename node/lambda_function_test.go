package node_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"

	"sluice/client"
)

// lambdaEvent is the event an invoked function receives, declared as a Lambda function in Go
// would declare it.
type lambdaEvent struct {
	Job struct {
		ID        string `json:"id"`
		AccountID string `json:"accountId"`
		Data      struct {
			ActionConfiguration struct {
				Configuration map[string]string `json:"configuration"`
			} `json:"actionConfiguration"`
			InputArtifacts      []eventArtifact `json:"inputArtifacts"`
			OutputArtifacts     []eventArtifact `json:"outputArtifacts"`
			ArtifactCredentials struct {
				AccessKeyID     string `json:"accessKeyId"`
				SecretAccessKey string `json:"secretAccessKey"`
				SessionToken    string `json:"sessionToken"`
			} `json:"artifactCredentials"`
			ContinuationToken string `json:"continuationToken"`
		} `json:"data"`
	} `json:"CodePipeline.job"`
}

type eventArtifact struct {
	Name     string `json:"name"`
	Revision string `json:"revision"`
	Location struct {
		Type       string `json:"type"`
		S3Location struct {
			BucketName string `json:"bucketName"`
			ObjectKey  string `json:"objectKey"`
		} `json:"s3Location"`
	} `json:"location"`
}

// testFunction is an HTTP function registered in the server. It checks each invocation's
// signature and decodes the event, answers status, and when that is 2xx runs handle in a
// goroutine, as an asynchronous Lambda function runs after its invoke was accepted.
type testFunction struct {
	t           *testing.T
	name        string
	secret      string
	status      int
	handle      func(ev lambdaEvent) error
	invocations chan lambdaEvent // every correctly signed invocation, in order
	wg          sync.WaitGroup
}

// function registers a function name served by a new test server.
func (c *conformance) function(t *testing.T, name string, status int, handle func(ev lambdaEvent) error) *testFunction {
	t.Helper()
	f := &testFunction{t: t, name: name, secret: "secret-of-" + name + "-0123456789", status: status, handle: handle,
		invocations: make(chan lambdaEvent, 10)}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	t.Cleanup(f.wg.Wait) // before the server closes: handlers still report to it
	_, err := c.functions().PutFunction(c.ctx, name, srv.URL+"/invoke", f.secret)
	require.NoError(t, err)
	return f
}

// reporter is the codepipeline client a function reports with: its own, as a Lambda
// function has, on connections it does not keep (a connection a busy client dials but then
// never uses would hold up the server's shutdown for seconds).
func (c *conformance) reporter() *codepipeline.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableKeepAlives = true
	return codepipeline.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(testKeyID, testSecret, ""),
		HTTPClient: &http.Client{Transport: tr}}, func(o *codepipeline.Options) { o.BaseEndpoint = aws.String(c.URL) })
}

// functions is the function registry's client, signed with the test key.
func (c *conformance) functions() *client.Client {
	return client.New(c.URL, "us-east-1", credentials.NewStaticCredentialsProvider(testKeyID, testSecret, ""), nil)
}

func (f *testFunction) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	// The signature covers the timestamp and the body, so a function can refuse replays.
	sent := r.Header.Get("X-Sluice-Timestamp")
	mac := hmac.New(sha256.New, []byte(f.secret))
	mac.Write([]byte(sent + "."))
	mac.Write(body)
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	if unix, perr := strconv.ParseInt(sent, 10, 64); perr != nil || time.Since(time.Unix(unix, 0)).Abs() > 5*time.Minute {
		f.t.Errorf("function %s: timestamp %q is not the time of sending", f.name, sent)
	}
	var ev lambdaEvent
	switch {
	case err != nil:
		f.t.Errorf("function %s: read the invocation: %v", f.name, err)
	case r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json":
		f.t.Errorf("function %s: invoked with %s and Content-Type %q", f.name, r.Method, r.Header.Get("Content-Type"))
	case !hmac.Equal([]byte(want), []byte(r.Header.Get("X-Sluice-Signature"))):
		f.t.Errorf("function %s: signature %q, want %q", f.name, r.Header.Get("X-Sluice-Signature"), want)
	case r.Header.Get("X-Sluice-Delivery") == "":
		f.t.Errorf("function %s: no delivery id", f.name)
	case json.Unmarshal(body, &ev) != nil || ev.Job.ID == "":
		f.t.Errorf("function %s: not a CodePipeline job event: %s", f.name, body)
	default:
		f.invocations <- ev
		w.WriteHeader(f.status)
		if f.status/100 == 2 && f.handle != nil {
			f.wg.Add(1)
			go func() {
				defer f.wg.Done()
				if err := f.handle(ev); err != nil {
					f.t.Errorf("function %s, job %s: %v", f.name, ev.Job.ID, err)
				}
			}()
		}
		return
	}
	w.WriteHeader(http.StatusUnauthorized)
}

// invoked returns the next invocation.
func (f *testFunction) invoked(t *testing.T) lambdaEvent {
	t.Helper()
	return <-f.invocations
}

// lambdaAction is an Invoke/AWS/Lambda action calling function with params ("" for none).
func lambdaAction(name, function, params string) types.ActionDeclaration {
	cfg := map[string]string{"FunctionName": function}
	if params != "" {
		cfg["UserParameters"] = params
	}
	return types.ActionDeclaration{Name: aws.String(name), Configuration: cfg,
		ActionTypeId: &types.ActionTypeId{Category: types.ActionCategoryInvoke, Owner: types.ActionOwnerAws, Provider: aws.String("Lambda"), Version: aws.String("1")}}
}

// artifacts is the S3 client a function builds from its event's artifact credentials.
func (ev lambdaEvent) artifacts(url string) *s3.Client {
	cr := ev.Job.Data.ArtifactCredentials
	return artifactClient(url, &types.AWSSessionCredentials{AccessKeyId: &cr.AccessKeyID, SecretAccessKey: &cr.SecretAccessKey,
		SessionToken: &cr.SessionToken})
}

// fetch reads an artifact of the event through the server's S3 endpoint.
func (ev lambdaEvent) fetch(ctx context.Context, url string, a eventArtifact) ([]byte, error) {
	loc := a.Location.S3Location
	obj, err := ev.artifacts(url).GetObject(ctx, &s3.GetObjectInput{Bucket: &loc.BucketName, Key: &loc.ObjectKey})
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", a.Name, err)
	}
	defer obj.Body.Close()
	return io.ReadAll(obj.Body)
}

// store writes an output artifact of the event through the server's S3 endpoint.
func (ev lambdaEvent) store(ctx context.Context, url string, a eventArtifact, content []byte) error {
	loc := a.Location.S3Location
	_, err := ev.artifacts(url).PutObject(ctx, &s3.PutObjectInput{Bucket: &loc.BucketName, Key: &loc.ObjectKey, Body: bytes.NewReader(content)})
	return err
}

// zipEntry is the content of one file of a zip archive.
func zipEntry(data []byte, name string) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", err
	}
	f, err := zr.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	return string(b), err
}
