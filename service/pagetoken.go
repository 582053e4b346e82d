package service

import (
	"encoding/base64"
	"encoding/json"

	"sluice"
)

// offsetCursor is the position of a page in a list the service pages itself (the store pages
// its own lists). Kind and Scope name the list, so a token of another list is refused.
type offsetCursor struct {
	Kind   string `json:"k"`
	Scope  string `json:"s"`
	Offset int    `json:"o"`
}

// offsetPage returns the page of items that token (empty: the first) starts, at most limit
// long (0: 100), and the token of the next page ("" after the last).
func offsetPage[T any](items []T, token, kind, scope string, limit int) ([]T, string, error) {
	offset := 0
	if token != "" {
		var c offsetCursor
		b, err := base64.RawURLEncoding.DecodeString(token)
		if err == nil {
			err = json.Unmarshal(b, &c)
		}
		if err != nil || c.Kind != kind || c.Scope != scope || c.Offset < 0 {
			return nil, "", sluice.Errorf(sluice.EInvalid, "NextToken", "The next token was not issued by this server for this list.")
		}
		offset = min(c.Offset, len(items))
	}
	if limit <= 0 {
		limit = 100
	}
	end := min(offset+limit, len(items))
	next := ""
	if end < len(items) {
		b, _ := json.Marshal(offsetCursor{Kind: kind, Scope: scope, Offset: end}) // strings and an int always encode
		next = base64.RawURLEncoding.EncodeToString(b)
	}
	return items[offset:end], next, nil
}
