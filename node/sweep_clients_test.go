package node_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// sweepDriver makes one call of a CodePipeline operation as one client does, from the
// input in the model's member names; it returns the problems the client itself found in
// the answer (boto3 checks it against botocore's model) and the call's error.
type sweepDriver interface {
	call(op string, in []byte) ([]string, error)
}

// recorder is a reverse proxy between a client and the server that keeps the raw body of
// the latest answer to each operation, so every client's answers are checked as sent.
type recorder struct {
	URL  string
	mu   sync.Mutex
	last map[string][]byte
}

func newRecorder(t *testing.T, server string) *recorder {
	t.Helper()
	u, err := url.Parse(server)
	require.NoError(t, err)
	r := &recorder{last: map[string][]byte{}}
	proxy := httputil.NewSingleHostReverseProxy(u) // keeps the Host header the client signed
	proxy.ModifyResponse = func(resp *http.Response) error {
		op, ok := strings.CutPrefix(resp.Request.Header.Get("X-Amz-Target"), "CodePipeline_20150709.")
		if !ok {
			return nil
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		_ = resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		r.mu.Lock()
		r.last[op] = body
		r.mu.Unlock()
		return nil
	}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	r.URL = srv.URL
	return r
}

// take returns and forgets the latest answer to op.
func (r *recorder) take(op string) ([]byte, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	body, ok := r.last[op]
	delete(r.last, op)
	return body, ok
}

// sdkDriver calls the aws-sdk-go-v2 client's method named op with its input type decoded
// from the member names (encoding/json matches the SDK's field names case-insensitively;
// a member the SDK has no field for is an error).
type sdkDriver struct{ cp reflect.Value }

func newSDKDriver(_ *testing.T, endpoint string) sweepDriver {
	cp, _ := nodetest.Clients(endpoint, testKeyID, testSecret)
	return sdkDriver{reflect.ValueOf(cp)}
}

func (d sdkDriver) call(op string, in []byte) ([]string, error) {
	m := d.cp.MethodByName(op)
	if !m.IsValid() {
		return nil, fmt.Errorf("aws-sdk-go-v2 has no operation %s", op)
	}
	input := reflect.New(m.Type().In(1).Elem())
	dec := json.NewDecoder(bytes.NewReader(in))
	dec.DisallowUnknownFields()
	if err := dec.Decode(input.Interface()); err != nil {
		return nil, fmt.Errorf("the input does not fit %s: %w", input.Type(), err)
	}
	res := m.Call([]reflect.Value{reflect.ValueOf(context.Background()), input})
	if err, _ := res[1].Interface().(error); err != nil {
		return nil, err
	}
	return nil, nil
}

// cliEnv is the environment of the AWS CLI and boto3: the server's root key, no files.
func cliEnv() []string {
	return append(os.Environ(), "AWS_ACCESS_KEY_ID="+testKeyID, "AWS_SECRET_ACCESS_KEY="+testSecret, "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=", "AWS_EC2_METADATA_DISABLED=true")
}

// cliDriver runs `aws codepipeline <op> --cli-input-json <input>`.
type cliDriver struct{ endpoint string }

func newCLIDriver(t *testing.T, endpoint string) sweepDriver {
	requireAWSCLI(t)
	return cliDriver{endpoint}
}

func (d cliDriver) call(op string, in []byte) ([]string, error) {
	cmd := exec.Command("aws", "codepipeline", cliName(op), "--cli-input-json", string(in), "--endpoint-url", d.endpoint, "--output", "json")
	cmd.Env = cliEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("aws codepipeline %s: %v: %s", cliName(op), err, strings.TrimSpace(stderr.String()))
	}
	if out := bytes.TrimSpace(stdout.Bytes()); len(out) > 0 && !json.Valid(out) {
		return []string{"the CLI printed no JSON: " + string(out)}, nil
	}
	return nil, nil
}

// cliName is the CLI's command for an operation: ListRuleTypes is list-rule-types.
func cliName(op string) string {
	var b strings.Builder
	for i, r := range op {
		if unicode.IsUpper(r) && i > 0 {
			b.WriteByte('-')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// boto3Driver sends each call to testdata/boto3_sweep.py, a boto3 client that makes it and
// checks the raw answer against botocore's model; one JSON line each way.
type boto3Driver struct {
	in  io.Writer
	out *bufio.Reader
}

func newBoto3Driver(t *testing.T, endpoint string) sweepDriver {
	t.Helper()
	requireBoto3(t)
	cmd := exec.Command("python3", "testdata/boto3_sweep.py")
	cmd.Env = append(cliEnv(), "SWEEP_ENDPOINT="+endpoint)
	cmd.Stderr = testWriter{T: t}
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = stdin.Close() // the script ends at the end of its input
		require.NoError(t, cmd.Wait())
	})
	return &boto3Driver{in: stdin, out: bufio.NewReader(stdout)}
}

func (d *boto3Driver) call(op string, in []byte) ([]string, error) {
	return d.send(map[string]any{"op": op, "input": json.RawMessage(in)})
}

// check has the script check answer as an answer to op, calling nothing.
func (d *boto3Driver) check(op, answer string) ([]string, error) {
	return d.send(map[string]any{"op": op, "answer": answer})
}

func (d *boto3Driver) send(request map[string]any) ([]string, error) {
	line, err := json.Marshal(request)
	if err != nil {
		return nil, err
	}
	if _, err := d.in.Write(append(line, '\n')); err != nil {
		return nil, err
	}
	answer, err := d.out.ReadBytes('\n')
	if err != nil {
		return nil, fmt.Errorf("boto3_sweep.py ended: %w", err)
	}
	var got struct {
		Error    string
		Problems []string
	}
	if err := json.Unmarshal(answer, &got); err != nil {
		return nil, fmt.Errorf("boto3_sweep.py answered %q: %w", answer, err)
	}
	if got.Error != "" {
		return nil, errors.New(got.Error)
	}
	return got.Problems, nil
}

// requireBoto3 skips the test unless python3 imports boto3; with SLUICE_REQUIRE_AWSCLI set
// (CI) it fails instead.
func requireBoto3(t *testing.T) {
	t.Helper()
	if out, err := exec.Command("python3", "-c", "import boto3").CombinedOutput(); err != nil {
		if os.Getenv("SLUICE_REQUIRE_AWSCLI") != "" {
			t.Fatalf("boto3 is required (SLUICE_REQUIRE_AWSCLI is set) but python3 cannot import it: %v: %s", err, out)
		}
		t.Skip("boto3 is not installed")
	}
}
