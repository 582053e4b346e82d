package node_test

import (
	"bufio"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// consoleClient is a browser signed in to the server's console with the root key.
func consoleClient(t *testing.T, b *nodetest.Bundle) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	web := &http.Client{Jar: jar}
	resp, err := web.PostForm(b.URL+"/signin", url.Values{"access_key_id": {nodetest.KeyID},
		"secret_access_key": {nodetest.Secret}, "next": {"/"}})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	return web
}

func getBody(t *testing.T, web *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := web.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

// TestConsoleFollowsARunningLog: a Commands action's page shows its log so far, its stream
// goes on with what the action writes next and ends with the action's status; the
// execution's page then draws it in the timeline and downloads the source's artifact.
func TestConsoleFollowsARunningLog(t *testing.T) {
	t.Parallel()
	b := nodetest.Setup(t)
	b.SeedRepo(t, nodetest.SrcRepo)
	gate, started := nodetest.NewGate(t), nodetest.NewSignal(t)
	exec := b.Create(t, nodetest.Pipeline("app", nodetest.Stage("Build",
		nodetest.CmdAction("Make", "echo first line", started.Send(), gate.Wait(), "echo after the gate", "exit 3"))))
	started.Wait(t)
	var run string
	for _, r := range b.ActionRuns(t, "app", exec) {
		if aws.ToString(r.ActionName) == "Make" {
			run = aws.ToString(r.ActionExecutionId)
		}
	}
	require.NotEmpty(t, run)
	web := consoleClient(t, b)
	_, page := getBody(t, web, b.URL+"/pipelines/app/actions/"+run)
	require.Contains(t, page, "first line")
	stream := regexp.MustCompile(`data-stream="([^"]+)"`).FindStringSubmatch(page)
	require.NotNil(t, stream, "a running action's log is followed")

	resp, err := web.Get(b.URL + html.UnescapeString(stream[1]))
	require.NoError(t, err)
	defer resp.Body.Close()
	gate.Open(t)
	var lines []string
	events, status := bufio.NewReader(resp.Body), ""
	for status == "" {
		name, data := readEvent(t, events)
		var ev struct{ Text, Status string }
		require.NoError(t, json.Unmarshal([]byte(data), &ev))
		if name == "end" {
			status = ev.Status
		} else {
			lines = append(lines, ev.Text)
		}
	}
	require.Equal(t, "Failed", status)
	require.Contains(t, strings.Join(lines, "\n"), "after the gate")
	require.NotContains(t, strings.Join(lines, "\n"), "first line", "the stream goes on from where the page ended")

	_, page = getBody(t, web, b.URL+"/pipelines/app/executions/"+exec)
	require.Contains(t, page, "<title>Action Make: Failed")
	require.Contains(t, page, "<title>Action Source: Succeeded")
	resp, zip := getBody(t, web, b.URL+"/pipelines/app/executions/"+exec+"/artifacts/Code")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.True(t, strings.HasPrefix(zip, "PK"), "a zip")
}

// readEvent reads the next event of a Server-Sent Events stream.
func readEvent(t *testing.T, r *bufio.Reader) (name, data string) {
	t.Helper()
	for {
		line, err := r.ReadString('\n')
		require.NoError(t, err)
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "" && name != "":
			return name, data
		case strings.HasPrefix(line, "event: "):
			name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			data = strings.TrimPrefix(line, "data: ")
		}
	}
}
