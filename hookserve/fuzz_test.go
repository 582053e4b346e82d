package hookserve

import (
	"bytes"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzV1Payload: the JSON document of a V1 webhook request is the body, or the payload field
// of a form, which round-trips whatever the document and the content type's parameters.
func FuzzV1Payload(f *testing.F) {
	for _, s := range [][2]string{
		{"application/json", `{"ref":"refs/heads/main"}`},
		{"application/x-www-form-urlencoded", "payload=%7B%22ref%22%3A%22x%22%7D"},
		{"application/x-www-form-urlencoded; charset=utf-8", "a=1&payload=&payload=2"},
		{"application/x-www-form-urlencoded", "payload=%zz"},
		{"APPLICATION/X-WWW-FORM-URLENCODED", "x=1"},
		{"text/plain; ===", ""},
	} {
		f.Add(s[0], []byte(s[1]))
	}
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		h := http.Header{"Content-Type": {contentType}}
		got := payload(h, body)
		if !bytes.Equal(got, body) {
			form, err := url.ParseQuery(string(body))
			require.NoError(t, err, "only a form's payload replaces the body")
			require.Equal(t, form.Get("payload"), string(got))
		}
		h.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		form := url.Values{"payload": {string(body)}, "other": {contentType}}.Encode()
		require.Equal(t, string(body), string(payload(h, []byte(form))))
	})
}
