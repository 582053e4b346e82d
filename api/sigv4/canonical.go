package sigv4

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// canonicalRequest is the AWS canonical form of r: method, URI, query, signed headers and
// payload hash, one per line, exactly as the client built it before signing.
func canonicalRequest(r *http.Request, signed []string, payloadHash string, doubleEncode bool) string {
	return strings.Join([]string{
		r.Method,
		canonicalURI(r.URL, doubleEncode),
		canonicalQuery(r.URL.Query()),
		canonicalHeaders(r, signed),
		strings.Join(signed, ";"),
		payloadHash,
	}, "\n")
}

// canonicalURI encodes the path as it travelled (EscapedPath) a second time, as AWS does for
// every service but S3: "/a b" travels as "/a%20b" and is signed as "/a%2520b". S3 signs the
// path as it travelled.
func canonicalURI(u *url.URL, doubleEncode bool) string {
	p := u.EscapedPath()
	if p == "" {
		return "/"
	}
	if !doubleEncode {
		return uriEncode(u.Path, true)
	}
	return uriEncode(p, true)
}

// canonicalQuery encodes every name and value and sorts the pairs by encoded name, then value.
func canonicalQuery(q url.Values) string {
	type pair struct{ name, value string }
	pairs := make([]pair, 0, len(q))
	for name, values := range q {
		for _, v := range values {
			pairs = append(pairs, pair{uriEncode(name, false), uriEncode(v, false)})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		return cmp.Or(cmp.Compare(a.name, b.name), cmp.Compare(a.value, b.value))
	})
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.name + "=" + p.value
	}
	return strings.Join(parts, "&")
}

// canonicalHeaders writes "name:value\n" for each signed header, values trimmed, inner runs of
// spaces collapsed and repeated headers joined by commas.
func canonicalHeaders(r *http.Request, signed []string) string {
	var b strings.Builder
	for _, name := range signed {
		values := headerValues(r, name)
		for i, v := range values {
			values[i] = collapseSpaces(strings.TrimSpace(v))
		}
		b.WriteString(name + ":" + strings.Join(values, ",") + "\n")
	}
	return b.String()
}

// headerValues returns the received values of a header. Go's server moves Host out of the
// header map and may hold the length only in ContentLength, so those two are read from the
// request itself.
func headerValues(r *http.Request, name string) []string {
	switch name {
	case "host":
		if r.Host != "" {
			return []string{r.Host}
		}
		return []string{r.URL.Host}
	case "content-length":
		if v := r.Header.Values("Content-Length"); len(v) > 0 {
			return append([]string(nil), v...)
		}
		return []string{strconv.FormatInt(max(r.ContentLength, 0), 10)}
	}
	return append([]string(nil), r.Header.Values(name)...)
}

func collapseSpaces(s string) string {
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ")
	}
	return s
}

// uriEncode percent-encodes every byte but the unreserved characters (and '/' in paths) with
// upper-case hex, the one encoding SigV4 allows.
func uriEncode(s string, path bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) || (path && c == '/') {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}
