package client

import (
	"context"
	"time"

	"sluice"
)

// functionsTarget prefixes the function registry's operations (api/functions.go).
const functionsTarget = "SluiceFunctions_20261129."

// functionOut is a function as the server answers it; the secret comes back masked.
type functionOut struct {
	Name         string   `json:"name"`
	URL          string   `json:"url"`
	Secret       string   `json:"secret"`
	Created      *float64 `json:"created"`
	LastModified *float64 `json:"lastModified"`
}

func (f *functionOut) function() *sluice.Function {
	return &sluice.Function{Name: f.Name, URL: f.URL, Secret: f.Secret, Created: epoch(f.Created), LastModified: epoch(f.LastModified)}
}

func epoch(sec *float64) time.Time {
	if sec == nil {
		return time.Time{}
	}
	return time.UnixMilli(int64(*sec * 1000)).UTC()
}

// PutFunction registers the function name at url, keyed by secret, or replaces the one of
// that name. The answer's Secret is masked.
func (c *Client) PutFunction(ctx context.Context, name, url, secret string) (*sluice.Function, error) {
	var out struct {
		Function functionOut `json:"function"`
	}
	err := c.Call(ctx, functionsTarget+"PutFunction", "lambda", map[string]string{"name": name, "url": url, "secret": secret}, &out)
	if err != nil {
		return nil, err
	}
	return out.Function.function(), nil
}

// ListFunctions returns every registered function by name, their secrets masked.
func (c *Client) ListFunctions(ctx context.Context) ([]*sluice.Function, error) {
	var all []*sluice.Function
	in := map[string]string{}
	for {
		var out struct {
			Functions []functionOut `json:"functions"`
			NextToken string        `json:"nextToken"`
		}
		if err := c.Call(ctx, functionsTarget+"ListFunctions", "lambda", in, &out); err != nil {
			return nil, err
		}
		for i := range out.Functions {
			all = append(all, out.Functions[i].function())
		}
		if out.NextToken == "" {
			return all, nil
		}
		in["nextToken"] = out.NextToken
	}
}

// DeleteFunction removes the named function (an *APIError of type ResourceNotFoundException
// when there is none).
func (c *Client) DeleteFunction(ctx context.Context, name string) error {
	var out struct{}
	return c.Call(ctx, functionsTarget+"DeleteFunction", "lambda", map[string]string{"name": name}, &out)
}
