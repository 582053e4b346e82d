package service

import (
	"context"
	"strings"
	"time"

	"sluice"
	"sluice/policy"
)

// builtInCreated is the date the shipped managed policies show.
var builtInCreated = time.Date(2015, 2, 6, 18, 40, 0, 0, time.UTC)

// builtIn returns the shipped managed policy with that ARN.
func builtIn(arn string) (*sluice.ManagedPolicy, bool) {
	for _, m := range policy.BuiltIn() {
		if awsPolicyARN(m) == arn {
			return &sluice.ManagedPolicy{Name: m.Name, Path: m.Path, ID: m.ID, ARN: arn, Description: m.Description,
				DefaultVersion: m.VersionID, Document: m.Document, Created: builtInCreated, Updated: builtInCreated}, true
		}
	}
	return nil, false
}

func awsPolicyARN(m policy.Managed) string {
	return "arn:aws:iam::" + policy.ManagedAccount + ":policy" + m.Path + m.Name
}

// CreatePolicyParams is a new customer managed policy.
type CreatePolicyParams struct {
	Name, Path, Description, Document string
}

// CreatePolicy makes a customer managed policy whose document (version 2012-10-17, at most
// 6,144 characters but whitespace) is its version v1.
func (s *Service) CreatePolicy(ctx context.Context, c sluice.Caller, p CreatePolicyParams) (*sluice.ManagedPolicy, error) {
	if p.Path == "" {
		p.Path = "/"
	}
	now := s.Now()
	mp := &sluice.ManagedPolicy{Name: p.Name, Path: p.Path, ID: uniqueID("ANPA"), ARN: s.iamARN(sluice.PolicyARN, p.Path, p.Name),
		Description: p.Description, DefaultVersion: "v1", Document: p.Document, Created: now, Updated: now}
	if err := s.allow(ctx, c, "iam:CreatePolicy", mp.ARN); err != nil {
		return nil, err
	}
	d, err := parseDocument(p.Document)
	if err != nil {
		return nil, err
	}
	if d.Version != policy.V2012 {
		return nil, sluice.Errorf(sluice.EInvalid, "PolicyDocument", "Policy document must be version 2012-10-17 or greater.")
	}
	if policySize(p.Document) > sluice.MaxManagedPolicySize {
		return nil, sluice.Errorf(sluice.ELimit, "PolicySize", "Cannot exceed quota for PolicySize: %d", sluice.MaxManagedPolicySize)
	}
	return mp, s.inTx(ctx, func(x sluice.Executor) error {
		all, err := x.ListPolicies(ctx)
		if err != nil {
			return err
		}
		if len(all) >= sluice.MaxCustomerPolicies {
			return sluice.Errorf(sluice.ELimit, "Policies", "Cannot exceed quota for CustomerManagedPolicies: %d", sluice.MaxCustomerPolicies)
		}
		return x.CreatePolicy(ctx, mp)
	})
}

// managedPolicy is a shipped or customer managed policy (ENotFound/Policy).
func managedPolicy(ctx context.Context, x sluice.Executor, arn string) (*sluice.ManagedPolicy, error) {
	if p, ok := builtIn(arn); ok {
		return p, nil
	}
	return x.GetPolicy(ctx, arn)
}

// ManagedPolicyInfo is a managed policy with its attachment count.
type ManagedPolicyInfo struct {
	*sluice.ManagedPolicy
	Attachments int
	AWS         bool // shipped with Sluice (AWS's or Sluice's own), read-only
}

// GetPolicy returns a managed policy and how many users and groups it is attached to.
func (s *Service) GetPolicy(ctx context.Context, c sluice.Caller, arn string) (*ManagedPolicyInfo, error) {
	if err := s.allow(ctx, c, "iam:GetPolicy", arn); err != nil {
		return nil, err
	}
	return s.policyInfo(ctx, arn)
}

func (s *Service) policyInfo(ctx context.Context, arn string) (*ManagedPolicyInfo, error) {
	p, err := managedPolicy(ctx, s.Store, arn)
	if err != nil {
		return nil, err
	}
	n, err := s.Store.PolicyAttachments(ctx, arn)
	_, aws := builtIn(arn)
	return &ManagedPolicyInfo{ManagedPolicy: p, Attachments: n, AWS: aws}, err
}

// GetPolicyVersion returns one version of a managed policy's document.
func (s *Service) GetPolicyVersion(ctx context.Context, c sluice.Caller, arn, version string) (*sluice.PolicyVersion, error) {
	if err := s.allow(ctx, c, "iam:GetPolicyVersion", arn); err != nil {
		return nil, err
	}
	if p, ok := builtIn(arn); ok {
		if version != p.DefaultVersion {
			return nil, sluice.Errorf(sluice.ENotFound, "PolicyVersion", "Policy %s version %s does not exist or is not attachable.", arn, version)
		}
		return &sluice.PolicyVersion{PolicyARN: arn, VersionID: version, Document: p.Document, Default: true, Created: p.Created}, nil
	}
	return s.Store.GetPolicyVersion(ctx, arn, version)
}

// ListPoliciesParams narrows ListPolicies: Scope "All" (or ""), "AWS" or "Local";
// OnlyAttached keeps attached ones; PathPrefix filters by path.
type ListPoliciesParams struct {
	Scope        string
	OnlyAttached bool
	PathPrefix   string
	Page         IAMPage
}

// ListPolicies lists managed policies, the shipped ones and the account's.
func (s *Service) ListPolicies(ctx context.Context, c sluice.Caller, p ListPoliciesParams) ([]*ManagedPolicyInfo, string, error) {
	if err := s.allow(ctx, c, "iam:ListPolicies", "*"); err != nil {
		return nil, "", err
	}
	var arns []string
	if p.Scope != "Local" {
		for _, m := range policy.BuiltIn() {
			arns = append(arns, awsPolicyARN(m))
		}
	}
	if p.Scope != "AWS" {
		local, err := s.Store.ListPolicies(ctx)
		if err != nil {
			return nil, "", err
		}
		for _, l := range local {
			arns = append(arns, l.ARN)
		}
	}
	var out []*ManagedPolicyInfo
	for _, arn := range arns {
		info, err := s.policyInfo(ctx, arn)
		if err != nil {
			return nil, "", err
		}
		if strings.HasPrefix(info.Path, p.PathPrefix) && (!p.OnlyAttached || info.Attachments > 0) {
			out = append(out, info)
		}
	}
	return pageOf(out, func(i *ManagedPolicyInfo) string { return i.ARN }, p.Page)
}

// DeletePolicy removes a customer managed policy attached to nothing.
func (s *Service) DeletePolicy(ctx context.Context, c sluice.Caller, arn string) error {
	if err := s.allow(ctx, c, "iam:DeletePolicy", arn); err != nil {
		return err
	}
	if _, ok := builtIn(arn); ok {
		return sluice.Errorf(sluice.EInvalid, "PolicyArn", "Policy %s is an AWS managed policy: it cannot be deleted.", arn)
	}
	return s.inTx(ctx, func(x sluice.Executor) error {
		if _, err := x.GetPolicy(ctx, arn); err != nil {
			return err
		}
		if n, err := x.PolicyAttachments(ctx, arn); err != nil || n > 0 {
			return orConflict(err, "Cannot delete a policy attached to entities.")
		}
		return x.DeletePolicy(ctx, arn)
	})
}
