package query

import (
	"context"

	"sluice"
	"sluice/service"
)

// owner reads the UserName or GroupName naming a policy's owner.
func owner(c *call, kind sluice.OwnerKind) sluice.PolicyOwner {
	member := "UserName"
	if kind == sluice.OwnerGroup {
		member = "GroupName"
	}
	return sluice.PolicyOwner{Kind: kind, Name: c.form.str(member, true, entityName)}
}

func (s *Server) putPolicy(kind sluice.OwnerKind) handler {
	return func(ctx context.Context, c *call) (any, error) {
		o := owner(c, kind)
		name, doc := c.form.str("PolicyName", true, entityName), c.form.str("PolicyDocument", true, document)
		if c.form.err != nil {
			return nil, c.form.err
		}
		return nil, s.Service.PutInlinePolicy(ctx, c.caller, o, name, doc)
	}
}

func (s *Server) getPolicy(kind sluice.OwnerKind) handler {
	return func(ctx context.Context, c *call) (any, error) {
		o, name := owner(c, kind), c.form.str("PolicyName", true, entityName)
		if c.form.err != nil {
			return nil, c.form.err
		}
		p, err := s.Service.GetInlinePolicy(ctx, c.caller, o, name)
		if err != nil {
			return nil, err
		}
		doc := encodeDocument(p.Document)
		if kind == sluice.OwnerGroup {
			return struct{ GroupName, PolicyName, PolicyDocument string }{o.Name, p.Name, doc}, nil
		}
		return struct{ UserName, PolicyName, PolicyDocument string }{o.Name, p.Name, doc}, nil
	}
}

func (s *Server) listPolicies(kind sluice.OwnerKind) handler {
	return func(ctx context.Context, c *call) (any, error) {
		o, p := owner(c, kind), c.form.page()
		if c.form.err != nil {
			return nil, c.form.err
		}
		names, marker, err := s.Service.ListInlinePolicies(ctx, c.caller, o, p)
		if err != nil {
			return nil, err
		}
		return struct {
			PolicyNames members[string]
			listed
		}{append(members[string]{}, names...), page(marker)}, nil
	}
}

func (s *Server) deletePolicy(kind sluice.OwnerKind) handler {
	return func(ctx context.Context, c *call) (any, error) {
		o, name := owner(c, kind), c.form.str("PolicyName", true, entityName)
		if c.form.err != nil {
			return nil, c.form.err
		}
		return nil, s.Service.DeleteInlinePolicy(ctx, c.caller, o, name)
	}
}

func (s *Server) createManaged(ctx context.Context, c *call) (any, error) {
	p := service.CreatePolicyParams{Name: c.form.str("PolicyName", true, entityName), Path: c.form.str("Path", false, policyPath),
		Description: c.form.str("Description", false, description), Document: c.form.str("PolicyDocument", true, document)}
	if c.form.err != nil {
		return nil, c.form.err
	}
	mp, err := s.Service.CreatePolicy(ctx, c.caller, p)
	if err != nil {
		return nil, err
	}
	return struct{ Policy xPolicy }{policyOut(&service.ManagedPolicyInfo{ManagedPolicy: mp}, true)}, nil
}

func (s *Server) getManaged(ctx context.Context, c *call) (any, error) {
	arn := c.form.str("PolicyArn", true, arnRule)
	if c.form.err != nil {
		return nil, c.form.err
	}
	info, err := s.Service.GetPolicy(ctx, c.caller, arn)
	if err != nil {
		return nil, err
	}
	return struct{ Policy xPolicy }{policyOut(info, true)}, nil
}

func (s *Server) getPolicyVersion(ctx context.Context, c *call) (any, error) {
	arn, version := c.form.str("PolicyArn", true, arnRule), c.form.str("VersionId", true, versionID)
	if c.form.err != nil {
		return nil, c.form.err
	}
	v, err := s.Service.GetPolicyVersion(ctx, c.caller, arn, version)
	if err != nil {
		return nil, err
	}
	type xVersion struct {
		Document         string
		VersionID        string `xml:"VersionId"`
		IsDefaultVersion bool
		CreateDate       string
	}
	return struct{ PolicyVersion xVersion }{xVersion{encodeDocument(v.Document), v.VersionID, v.Default, date(v.Created)}}, nil
}

func (s *Server) listManaged(ctx context.Context, c *call) (any, error) {
	p := service.ListPoliciesParams{Scope: c.form.enum("Scope", false, "All", "AWS", "Local"), OnlyAttached: c.form.boolean("OnlyAttached"),
		PathPrefix: c.form.str("PathPrefix", false, policyPathPrefix), Page: c.form.page()}
	if c.form.err != nil {
		return nil, c.form.err
	}
	infos, marker, err := s.Service.ListPolicies(ctx, c.caller, p)
	if err != nil {
		return nil, err
	}
	out := members[xPolicy]{}
	for _, i := range infos {
		out = append(out, policyOut(i, false))
	}
	return struct {
		Policies members[xPolicy]
		listed
	}{out, page(marker)}, nil
}

func (s *Server) deleteManaged(ctx context.Context, c *call) (any, error) {
	arn := c.form.str("PolicyArn", true, arnRule)
	if c.form.err != nil {
		return nil, c.form.err
	}
	return nil, s.Service.DeletePolicy(ctx, c.caller, arn)
}

func (s *Server) attach(kind sluice.OwnerKind) handler {
	return func(ctx context.Context, c *call) (any, error) {
		o, arn := owner(c, kind), c.form.str("PolicyArn", true, arnRule)
		if c.form.err != nil {
			return nil, c.form.err
		}
		return nil, s.Service.AttachPolicy(ctx, c.caller, o, arn)
	}
}

func (s *Server) detach(kind sluice.OwnerKind) handler {
	return func(ctx context.Context, c *call) (any, error) {
		o, arn := owner(c, kind), c.form.str("PolicyArn", true, arnRule)
		if c.form.err != nil {
			return nil, c.form.err
		}
		return nil, s.Service.DetachPolicy(ctx, c.caller, o, arn)
	}
}

func (s *Server) listAttached(kind sluice.OwnerKind) handler {
	return func(ctx context.Context, c *call) (any, error) {
		o, p := owner(c, kind), c.form.page()
		prefix := c.form.str("PathPrefix", false, policyPathPrefix)
		if c.form.err != nil {
			return nil, c.form.err
		}
		policies, marker, err := s.Service.ListAttachedPolicies(ctx, c.caller, o, p)
		if err != nil {
			return nil, err
		}
		out := members[xAttached]{}
		for _, mp := range policies {
			if len(mp.Path) >= len(prefix) && mp.Path[:len(prefix)] == prefix {
				out = append(out, xAttached{PolicyName: mp.Name, PolicyArn: mp.ARN})
			}
		}
		return struct {
			AttachedPolicies members[xAttached]
			listed
		}{out, page(marker)}, nil
	}
}
