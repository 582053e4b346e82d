// Command unauth measures what unauthenticated load costs the server in memory: it starts a
// real `sluice server` on loopback, gives a connection a webhook secret, then sends 20
// concurrent 25 MB webhook deliveries with a wrong signature and 200 concurrent 4 MB API
// requests that are not validly signed (a third with no Authorization header, a third
// naming an unknown key, a third naming the server's key with a wrong signature), while
// sampling the server's VmRSS and VmHWM from /proc/<pid>/status.
//
//	go run ./bench/unauth [-bin PATH] [-rounds 1] [-- EXTRA SERVER FLAGS]
//
// Without -bin it builds this tree's sluice. Flags after -- go to `sluice server` (for
// example --auth-failures 0, to measure the cap on requests in flight alone). Every request is bounded in count and time,
// and goes to 127.0.0.1 only.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"sluice/client"

	"sluice/bench/internal/benchserver"
	"sluice/bench/internal/procmem"
)

const (
	hookSecret = "bench-webhook-secret"
	hookBody   = 25 << 20
	apiBody    = 4 << 20
)

func main() {
	bin := flag.String("bin", "", "the sluice binary to measure (default: build this tree's)")
	hooks := flag.Int("hooks", 20, "concurrent webhook deliveries")
	calls := flag.Int("calls", 200, "concurrent API requests")
	rounds := flag.Int("rounds", 1, "how many times to send both waves")
	flag.Parse()
	if err := run(*bin, *hooks, *calls, *rounds, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "unauth:", err)
		os.Exit(1)
	}
}

func run(bin string, hooks, calls, rounds int, extra []string) error {
	dir, err := os.MkdirTemp("", "sluice-unauth-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if bin, err = benchserver.Build(bin, dir); err != nil {
		return err
	}
	srv, err := benchserver.Start(bin, dir, filepath.Join(dir, "data"), append([]string{"--workers", "1", "--poll-interval", "0"}, extra...)...)
	if err != nil {
		return err
	}
	defer srv.Kill()
	id, err := connection(srv.URL)
	if err != nil {
		return err
	}
	s := procmem.Sample(srv.PID)
	fmt.Printf("idle: VmRSS %d MB, VmHWM %d MB\n", s.RSS>>10, s.HWM>>10)
	for i := 0; i < rounds; i++ {
		peak := watch(srv.PID)
		codes := send(hooks, func(i int) *http.Request { return delivery(srv.URL, id) })
		fmt.Printf("%d webhook deliveries of %d MB, wrong signature: answers %v\n", hooks, hookBody>>20, codes)
		codes = send(calls, func(i int) *http.Request { return apiCall(srv.URL, i) })
		fmt.Printf("%d API requests of %d MB, not validly signed: answers %v (error: the server closed the connection on a body it would not read)\n", calls, apiBody>>20, codes)
		top := peak()
		s = procmem.Sample(srv.PID)
		fmt.Printf("round %d: highest VmRSS sampled %d MB; VmHWM %d MB; VmRSS after %d MB\n",
			i+1, top>>10, s.HWM>>10, s.RSS>>10)
	}
	return nil
}

// connection makes a GitHub connection with a webhook secret and returns its id (the last
// part of its ARN), the path of its deliveries.
func connection(url string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := client.New(url, "us-east-1", credentials.NewStaticCredentialsProvider(benchserver.KeyID, benchserver.Secret, ""), nil)
	var out struct{ ConnectionArn string }
	if err := c.Call(ctx, "CodeStar_connections_20191201.CreateConnection", "codestar-connections",
		map[string]string{"ConnectionName": "bench", "ProviderType": "GitHub"}, &out); err != nil {
		return "", err
	}
	if err := c.Call(ctx, "SluiceConnections_20261129.UpdateConnectionCredentials", "codestar-connections",
		map[string]string{"ConnectionArn": out.ConnectionArn, "WebhookSecret": hookSecret}, nil); err != nil {
		return "", err
	}
	return out.ConnectionArn[strings.LastIndex(out.ConnectionArn, "/")+1:], nil
}

// body is a JSON document of n bytes (a string member padded with x).
func body(n int) []byte {
	b := bytes.Repeat([]byte("x"), n)
	copy(b, `{"ref":"`)
	copy(b[n-2:], `"}`)
	return b
}

var (
	hookPayload = body(hookBody)
	apiPayload  = body(apiBody)
)

func delivery(url, id string) *http.Request {
	r, _ := http.NewRequest(http.MethodPost, url+"/v1/webhooks/"+id, bytes.NewReader(hookPayload))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-GitHub-Event", "push")
	r.Header.Set("X-Hub-Signature-256", "sha256="+strings.Repeat("0", 64))
	return r
}

func apiCall(url string, i int) *http.Request {
	r, _ := http.NewRequest(http.MethodPost, url+"/", bytes.NewReader(apiPayload))
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	r.Header.Set("X-Amz-Target", "CodePipeline_20150709.ListPipelines")
	key := []string{"", "AKIAUNKNOWNKEY000000", benchserver.KeyID}[i%3]
	if key != "" { // an unknown key, and the server's own key with a signature that is not its
		r.Header.Set("X-Amz-Date", time.Now().UTC().Format("20060102T150405Z"))
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+key+"/"+time.Now().UTC().Format("20060102")+
			"/us-east-1/codepipeline/aws4_request, SignedHeaders=host;x-amz-date, Signature="+strings.Repeat("0", 64))
	}
	return r
}

// send makes n requests at once, each bounded to a minute, and counts the answers by status
// (or by error).
func send(n int, req func(int) *http.Request) map[string]int {
	hc := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxConnsPerHost: 0, MaxIdleConnsPerHost: n}}
	type result struct{ code string }
	out := make(chan result, n)
	for i := 0; i < n; i++ {
		go func(i int) {
			resp, err := hc.Do(req(i))
			if err != nil {
				out <- result{"error"}
				return
			}
			resp.Body.Close()
			out <- result{fmt.Sprint(resp.StatusCode)}
		}(i)
	}
	codes := map[string]int{}
	for i := 0; i < n; i++ {
		codes[(<-out).code]++
	}
	hc.CloseIdleConnections()
	return codes
}
