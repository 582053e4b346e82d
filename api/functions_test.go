package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const testFunctionSecret = "s3cr3t-0123456789-abcdef"

func functionBody(name, url string) string {
	return `{"name":"` + name + `","url":"` + url + `","secret":"` + testFunctionSecret + `"}`
}

// TestFunctions registers, reads, lists, replaces and deletes a function; no answer ever
// holds its secret.
func TestFunctions(t *testing.T) {
	t.Parallel()
	h := newBareHarness(t)
	call := func(t *testing.T, op, body string) map[string]any {
		t.Helper()
		r := h.call(t, functionsTarget+op, []byte(body))
		require.Equal(t, http.StatusOK, r.status, "%s: %s", op, r.body)
		require.NotContains(t, string(r.body), testFunctionSecret, "%s answered the secret", op)
		var out map[string]any
		require.NoError(t, json.Unmarshal(r.body, &out))
		return out
	}

	put := call(t, "PutFunction", functionBody("deploy", "https://fn.example.com/deploy"))["function"].(map[string]any)
	require.Equal(t, "deploy", put["name"])
	require.Equal(t, "https://fn.example.com/deploy", put["url"])
	require.Equal(t, "****", put["secret"])
	got := call(t, "GetFunction", `{"name":"deploy"}`)["function"].(map[string]any)
	require.Equal(t, put, got)

	again := call(t, "PutFunction", functionBody("deploy", "http://127.0.0.1:9000/"))["function"].(map[string]any)
	require.Equal(t, "http://127.0.0.1:9000/", again["url"])
	require.Equal(t, put["created"], again["created"], "a replaced function keeps its creation time")
	call(t, "PutFunction", functionBody("a-first", "http://a.example.com"))

	list := call(t, "ListFunctions", `{"maxResults":1}`)
	require.Len(t, list["functions"], 1)
	require.Equal(t, "a-first", list["functions"].([]any)[0].(map[string]any)["name"])
	rest := call(t, "ListFunctions", `{"nextToken":"`+list["nextToken"].(string)+`"}`)
	require.Len(t, rest["functions"], 1)
	require.Equal(t, "deploy", rest["functions"].([]any)[0].(map[string]any)["name"])
	require.NotContains(t, rest, "nextToken")

	call(t, "DeleteFunction", `{"name":"deploy"}`)
	h.call(t, functionsTarget+"GetFunction", []byte(`{"name":"deploy"}`)).requireError(t, "ResourceNotFoundException", "deploy")
}

// TestFunctionBadInput sends the function operations requests they must refuse.
func TestFunctionBadInput(t *testing.T) {
	t.Parallel()
	h := newBareHarness(t)
	cases := []badInput{
		{"ErrMembersRequired", "PutFunction", `{}`, "ValidationException", []string{"3 validation errors", "'name'", "'url'", "'secret'"}},
		{"ErrNamePattern", "PutFunction", functionBody("bad name", "https://x.example.com"), "ValidationException", []string{"'name'", "regular expression"}},
		{"ErrNameLength", "PutFunction", functionBody(strings.Repeat("n", 141), "https://x.example.com"), "ValidationException", []string{"'name'", "140"}},
		{"ErrURLScheme", "PutFunction", functionBody("f", "ftp://x.example.com/f"), "ValidationException", []string{"'url'", "http or https"}},
		{"ErrURLRelative", "PutFunction", functionBody("f", "/hooks/f"), "ValidationException", []string{"'url'", "http or https"}},
		{"ErrURLNoHost", "PutFunction", functionBody("f", "http://"), "ValidationException", []string{"'url'", "http or https"}},
		{"ErrSecretShort", "PutFunction", `{"name":"f","url":"https://x.example.com","secret":"tooshort"}`, "ValidationException", []string{"'secret'", "16"}},
		{"ErrSecretNumber", "PutFunction", `{"name":"f","url":"https://x.example.com","secret":12}`, "SerializationException", []string{"secret", "string"}},
		{"ErrNameRequired", "GetFunction", `{}`, "ValidationException", []string{"'name'"}},
		{"ErrNotFound", "GetFunction", `{"name":"nope"}`, "ResourceNotFoundException", []string{"nope"}},
		{"ErrNotFound", "DeleteFunction", `{"name":"nope"}`, "ResourceNotFoundException", []string{"nope"}},
		{"ErrMaxResults", "ListFunctions", `{"maxResults":101}`, "ValidationException", []string{"'maxResults'", "100"}},
		{"ErrNextToken", "ListFunctions", `{"nextToken":"bogus"}`, "InvalidNextTokenException", []string{"token"}},
	}
	for _, c := range cases {
		t.Run(c.op+"/"+c.name, func(t *testing.T) {
			t.Parallel()
			r := h.call(t, functionsTarget+c.op, []byte(c.body))
			r.requireError(t, c.exception, c.parts...)
			require.NotContains(t, string(r.body), "tooshort", "messages do not repeat secrets")
		})
	}
	list := h.call(t, functionsTarget+"ListFunctions", nil)
	require.JSONEq(t, `{"functions":[]}`, string(list.body), "a refused call registered nothing")
}
