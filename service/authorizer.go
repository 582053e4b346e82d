package service

import (
	"context"
	"strconv"
	"time"

	"sluice"
	"sluice/policy"
)

// Authorizer is IAM's decision over a store: a caller's policies are its user's inline and
// attached ones and those of the user's groups, evaluated by package policy. The root is
// allowed everything, and sts:GetCallerIdentity is never denied. Safe for concurrent use.
type Authorizer struct {
	Store   sluice.Store
	Account string
	Region  string
	Clock   sluice.Clock
}

var _ sluice.Authorizer = (*Authorizer)(nil)

// Authorize implements sluice.Authorizer.
func (z *Authorizer) Authorize(ctx context.Context, c sluice.Caller, a sluice.Access) error {
	scope := sluice.ARNScope{Account: z.Account}
	if c.Principal == scope.ARN(sluice.RootARN, "root") || a.Action == "sts:GetCallerIdentity" {
		return nil
	}
	name := userNameIn(z.Account, c.Principal)
	if name == "" {
		return sluice.Denied(c, a, false) // a principal that is no user has no policies
	}
	u, err := z.Store.GetUser(ctx, name)
	if sluice.IsCode(err, sluice.ENotFound) || (err == nil && u.ARN != c.Principal) {
		return sluice.Denied(c, a, false) // deleted (or re-created) since its key signed
	}
	if err != nil {
		return err
	}
	docs, err := policiesOf(ctx, z.Store, u)
	if err != nil {
		return err
	}
	switch policy.Evaluate(policy.Request{Action: a.Action, Resource: a.Resource, Context: z.context(ctx, c, u)}, docs...) {
	case policy.Allowed:
		return nil
	case policy.ExplicitDeny:
		return sluice.Denied(c, a, true)
	}
	return sluice.Denied(c, a, false)
}

// userNameIn is the name of the user a principal ARN of the account names ("" if none).
func userNameIn(account, principal string) string {
	prefix := "arn:aws:iam::" + account + ":user/"
	if len(principal) <= len(prefix) || principal[:len(prefix)] != prefix {
		return ""
	}
	rest := principal[len(prefix):]
	for i := len(rest) - 1; i >= 0; i-- {
		if rest[i] == '/' {
			return rest[i+1:]
		}
	}
	return rest
}

// context is the request context of IAM's global condition keys, plus the access's own.
func (z *Authorizer) context(reqCtx context.Context, c sluice.Caller, u *sluice.User) policy.Context {
	now := time.Now().UTC()
	if z.Clock != nil {
		now = z.Clock.Now().UTC()
	}
	ctx := policy.Context{}
	for k, v := range sluice.ConditionKeys(reqCtx) {
		ctx.Set(k, v...)
	}
	ctx.Set("aws:CurrentTime", now.Format(time.RFC3339))
	ctx.Set("aws:EpochTime", strconv.FormatInt(now.Unix(), 10))
	if c.SourceIP != "" {
		ctx.Set("aws:SourceIp", c.SourceIP)
	}
	if c.UserAgent != "" {
		ctx.Set("aws:UserAgent", c.UserAgent)
	}
	ctx.Set("aws:RequestedRegion", z.Region)
	ctx.Set("aws:username", u.Name)
	ctx.Set("aws:userid", u.ID)
	ctx.Set("aws:PrincipalArn", u.ARN)
	ctx.Set("aws:PrincipalAccount", z.Account)
	ctx.Set("aws:PrincipalType", "User")
	ctx.Set("aws:ViaAWSService", "false")
	return ctx
}

// policiesOf gathers a user's policy set: its inline and attached policies, and those of
// each of its groups. A stored document that no longer parses is an internal error.
func policiesOf(ctx context.Context, x sluice.Executor, u *sluice.User) ([]*policy.Document, error) {
	owners := []sluice.PolicyOwner{{Kind: sluice.OwnerUser, Name: u.Name}}
	groups, err := x.GroupsOfUser(ctx, u.Name)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		owners = append(owners, sluice.PolicyOwner{Kind: sluice.OwnerGroup, Name: g.Name})
	}
	var texts []string
	for _, o := range owners {
		inline, err := x.InlinePolicies(ctx, o)
		if err != nil {
			return nil, err
		}
		for _, p := range inline {
			texts = append(texts, p.Document)
		}
		arns, err := x.AttachedPolicies(ctx, o)
		if err != nil {
			return nil, err
		}
		for _, arn := range arns {
			mp, err := managedPolicy(ctx, x, arn)
			if sluice.IsCode(err, sluice.ENotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			texts = append(texts, mp.Document)
		}
	}
	docs := make([]*policy.Document, 0, len(texts))
	for _, t := range texts {
		d, err := policy.Parse([]byte(t))
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, nil
}
