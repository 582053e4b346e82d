package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"sort"
	"strings"
	"unicode"

	"sluice"
	"sluice/policy"
)

// IAM's use cases live in iam_*.go, one file per aggregate (users, keys, groups, policies);
// each asks s.allow with IAM's action and the resource's ARN before anything else.

// IAMPage is a page of an IAM list: Marker is the one the previous page ended with, MaxItems
// how many to return (0: 100).
type IAMPage struct {
	Marker   string
	MaxItems int
}

// rootARN is the principal of the root's keys.
func (s *Service) rootARN() string {
	return sluice.ARNScope{Account: s.Account()}.ARN(sluice.RootARN, "root")
}

// iamARN is the ARN of a user, group or policy at path.
func (s *Service) iamARN(k sluice.ARNKind, path, name string) string {
	return sluice.ARNScope{Account: s.Account()}.ARN(k, strings.TrimPrefix(path, "/")+name)
}

// isRoot reports whether the caller signed with a root key.
func (s *Service) isRoot(c sluice.Caller) bool { return c.Principal == s.rootARN() }

// callerUserName is the user name a principal ARN ends with ("" when it names no user).
func (s *Service) callerUserName(c sluice.Caller) string {
	return userNameIn(s.Account(), c.Principal)
}

// uniqueID is a new IAM unique id: a 4-letter prefix and 17 base32 characters.
func uniqueID(prefix string) string { return prefix + randomString(17, base32Upper) }

const (
	base32Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	// secretChars is the alphabet of secret keys: AWS's less '+' and '/', so that a secret
	// can never be misread in a URL or a shell line.
	secretChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
)

func randomString(n int, alphabet string) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	for i, c := range b {
		b[i] = alphabet[int(c)%len(alphabet)]
	}
	return string(b)
}

// parseDocument validates a policy document (EInvalid/PolicyDocument with IAM's text).
func parseDocument(doc string) (*policy.Document, error) {
	d, err := policy.Parse([]byte(doc))
	if err != nil {
		return nil, sluice.Errorf(sluice.EInvalid, "PolicyDocument", "%s", err.Error())
	}
	return d, nil
}

// policySize is how IAM measures a document against its quotas: characters but whitespace.
func policySize(doc string) int {
	n := 0
	for _, r := range doc {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// pageOf cuts one page out of items by their keys (unique, compared without case), after
// p.Marker. The marker is opaque to clients: the last key returned, encoded.
func pageOf[T any](items []T, key func(T) string, p IAMPage) ([]T, string, error) {
	sort.SliceStable(items, func(i, j int) bool { return strings.ToLower(key(items[i])) < strings.ToLower(key(items[j])) })
	if p.Marker != "" {
		after, err := base64.RawURLEncoding.DecodeString(p.Marker)
		if err != nil || len(after) == 0 {
			return nil, "", sluice.Errorf(sluice.EInvalid, "Marker", "Invalid Marker: %s", p.Marker)
		}
		i := sort.Search(len(items), func(i int) bool { return strings.ToLower(key(items[i])) > strings.ToLower(string(after)) })
		items = items[i:]
	}
	limit := p.MaxItems
	if limit <= 0 {
		limit = 100
	}
	if len(items) <= limit {
		return items, "", nil
	}
	items = items[:limit]
	return items, base64.RawURLEncoding.EncodeToString([]byte(key(items[limit-1]))), nil
}

// inTx runs fn in one transaction of the store.
func (s *Service) inTx(ctx context.Context, fn func(sluice.Executor) error) error {
	return s.Store.InTx(ctx, fn)
}
