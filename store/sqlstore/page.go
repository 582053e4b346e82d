package sqlstore

import (
	"encoding/base64"
	"encoding/json"
	"math"

	"sluice"
)

const defaultLimit = 100

// cursor is the position a page token stands for. Kind names the list that issued it, so
// a token of one list is refused by another.
type cursor struct {
	Kind string `json:"k"`
	Name string `json:"n,omitempty"`
	Time int64  `json:"t,omitempty"`
	Seq  int64  `json:"s,omitempty"`
	Row  int64  `json:"r,omitempty"`
}

func (c cursor) token() string {
	b, _ := json.Marshal(c) // a struct of strings and integers always encodes
	return base64.RawURLEncoding.EncodeToString(b)
}

// parsePage returns the limit (default 100) and the cursor of p.Token; an empty token is the
// start of a newest-first list (the largest possible position). A token this store did not
// issue for this list is EInvalid/NextToken.
func parsePage(p sluice.Page, kind string) (int, cursor, error) {
	limit := p.Limit
	if limit <= 0 {
		limit = defaultLimit
	}
	c := cursor{Kind: kind, Time: math.MaxInt64, Seq: math.MaxInt64, Row: math.MaxInt64}
	if p.Token == "" {
		return limit, c, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(p.Token)
	if err == nil {
		c = cursor{}
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Kind != kind {
		return 0, cursor{}, sluice.Errorf(sluice.EInvalid, "NextToken", "invalid next token")
	}
	return limit, c, nil
}

// trim cuts a result fetched with limit+1 rows to limit and returns the token of the next
// page, or "" when this is the last one.
func trim[T any](rows []*T, limit int, next func(last *T) cursor) ([]*T, string) {
	if len(rows) <= limit {
		return rows, ""
	}
	rows = rows[:limit]
	return rows, next(rows[limit-1]).token()
}
