package sluice

import (
	"context"
	"time"
)

// Function is an HTTP function registered in Sluice: what an Invoke/AWS/Lambda action whose
// FunctionName is Name calls. Sluice POSTs the CodePipeline job event to URL, signed with
// Secret (HMAC-SHA256), and the function reports the job's result through the API, as a
// Lambda function does.
type Function struct {
	Name string
	URL  string // http or https
	// Secret keys the signature of every invocation; the API never answers it back.
	Secret  string
	Created time.Time
	// LastModified is when the function was registered or last put.
	LastModified time.Time
}

// FunctionStore keeps the registered functions. On the Store each method is one
// transaction; through a transaction's Executor it joins that one.
type FunctionStore interface {
	// PutFunction registers f, replacing the function of the same name. A replaced function
	// keeps its Created time, which is written back into f.
	PutFunction(ctx context.Context, f *Function) error
	// GetFunction returns the named function (ENotFound/Function).
	GetFunction(ctx context.Context, name string) (*Function, error)
	// ListFunctions returns one page of functions by name.
	ListFunctions(ctx context.Context, p Page) ([]*Function, string, error)
	// DeleteFunction removes the named function (ENotFound/Function).
	DeleteFunction(ctx context.Context, name string) error
}
