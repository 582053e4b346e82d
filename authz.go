package sluice

import (
	"context"
	"fmt"
)

// Access is one thing a caller asks to do: an IAM action ("codepipeline:StartPipelineExecution",
// "codecommit:GitPush") on a resource ARN ("*" for actions on no one resource, as IAM's
// documentation lists them).
type Access struct {
	Action   string
	Resource string
}

// conditionKeys is the context key of WithConditionKeys.
type conditionKeys struct{}

// WithConditionKeys returns ctx carrying a request's own condition keys
// ("sluice:WorkerLabels"), each with its values, for the Authorizer to add to the keys every
// request has (aws:SourceIp, aws:username …). They travel in the context so that an Access
// stays a comparable value.
func WithConditionKeys(ctx context.Context, keys map[string][]string) context.Context {
	return context.WithValue(ctx, conditionKeys{}, keys)
}

// ConditionKeys returns the keys WithConditionKeys put in ctx (nil when none).
func ConditionKeys(ctx context.Context) map[string][]string {
	keys, _ := ctx.Value(conditionKeys{}).(map[string][]string)
	return keys
}

// Authorizer decides whether a caller may do something. Authorize returns nil when some
// policy of the caller allows the access and none denies it, and an EAccessDenied *Error
// (see Denied) otherwise; other errors are failures to decide and must not be read as a
// denial or an allowance. The root principal is always allowed. Safe for concurrent use.
type Authorizer interface {
	Authorize(ctx context.Context, c Caller, a Access) error
}

// Denied is the error of a refused access, with AWS's message: who, what, on which
// resource, and why (explicit is true when a policy's Deny matched). An action on no one
// resource ("*") names none, as AWS's messages for list calls do.
func Denied(c Caller, a Access, explicit bool) *Error {
	on := ""
	if a.Resource != "*" && a.Resource != "" {
		on = " on resource: " + a.Resource
	}
	why := " because no identity-based policy allows the " + a.Action + " action"
	if explicit {
		why = " with an explicit deny in an identity-based policy"
	}
	return &Error{Code: EAccessDenied, Message: fmt.Sprintf(
		"User: %s is not authorized to perform: %s%s%s", c.Principal, a.Action, on, why)}
}
