package console

import (
	"context"
	"net/http"

	"sluice"
	"sluice/service"
)

// iamListed is how many users, groups and policies the IAM page lists of each (IAM's
// largest page).
const iamListed = 1000

type iamData struct {
	Users    []*sluice.User
	Groups   []*sluice.Group
	Policies []*service.ManagedPolicyInfo
	More     bool // some list had more than iamListed
}

// iamPage lists users, groups and managed policies; each list asks its own IAM action.
func (c *Console) iamPage(w http.ResponseWriter, r *http.Request, s *session) {
	ctx, page := r.Context(), service.IAMPage{MaxItems: iamListed}
	var d iamData
	users, m1, err := c.Service.ListUsers(ctx, s.caller, "", page)
	if err == nil {
		var m2, m3 string
		d.Users = users
		if d.Groups, m2, err = c.Service.ListGroups(ctx, s.caller, "", page); err == nil {
			d.Policies, m3, err = c.Service.ListPolicies(ctx, s.caller, service.ListPoliciesParams{Page: page})
		}
		d.More = m1 != "" || m2 != "" || m3 != ""
	}
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	c.render(w, r, s, http.StatusOK, "iam", d)
}

type namedPolicy struct {
	Name, ARN, Document string
}

type iamUserData struct {
	User      *sluice.User
	Keys      []*sluice.AccessKey // never with their secrets
	Groups    []*sluice.Group
	Attached  []namedPolicy
	Inline    []namedPolicy
	MayUpdate bool
}

// iamUserPage shows a user: access keys (id, status, created), groups, and policies with
// their documents.
func (c *Console) iamUserPage(w http.ResponseWriter, r *http.Request, s *session) {
	d, err := c.iamUser(r.Context(), s, r.PathValue("name"))
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	c.render(w, r, s, http.StatusOK, "iamuser", d)
}

// iamUser reads what the user page shows, stopping at the first call the caller may not make.
func (c *Console) iamUser(ctx context.Context, s *session, name string) (*iamUserData, error) {
	core, who, all := c.Service, s.caller, service.IAMPage{MaxItems: iamListed}
	u, err := core.GetUser(ctx, who, name)
	if err != nil {
		return nil, err
	}
	d := &iamUserData{User: u, MayUpdate: core.MayUpdateAccessKeys(ctx, who, u.Name)}
	owner := sluice.PolicyOwner{Kind: sluice.OwnerUser, Name: u.Name}
	if d.Keys, _, err = core.ListAccessKeys(ctx, who, u.Name, all); err != nil {
		return nil, err
	}
	if d.Groups, _, err = core.ListGroupsForUser(ctx, who, u.Name, all); err != nil {
		return nil, err
	}
	attached, _, err := core.ListAttachedPolicies(ctx, who, owner, all)
	if err != nil {
		return nil, err
	}
	for _, p := range attached {
		d.Attached = append(d.Attached, namedPolicy{Name: p.Name, ARN: p.ARN, Document: p.Document})
	}
	names, _, err := core.ListInlinePolicies(ctx, who, owner, all)
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		p, err := core.GetInlinePolicy(ctx, who, owner, n)
		if err != nil {
			return nil, err
		}
		d.Inline = append(d.Inline, namedPolicy{Name: p.Name, Document: p.Document})
	}
	return d, nil
}

// iamKeyStatus activates or deactivates one of a user's access keys, as UpdateAccessKey.
func (c *Console) iamKeyStatus(w http.ResponseWriter, r *http.Request, s *session) {
	user, id := r.PathValue("name"), r.PathValue("id")
	status := sluice.KeyStatus(r.PostForm.Get("status"))
	if status != sluice.KeyActive && status != sluice.KeyInactive {
		c.errorPage(w, r, s, http.StatusBadRequest, "The status must be Active or Inactive.")
		return
	}
	params := map[string]string{"userName": user, "accessKeyId": id, "status": string(status)}
	_, err := c.act(r, s, "iam.amazonaws.com", "UpdateAccessKey", params, func(ctx context.Context) (any, error) {
		return nil, c.Service.UpdateAccessKey(ctx, s.caller, user, id, status)
	})
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	http.Redirect(w, r, "/iam/users/"+pathEscape(user), http.StatusSeeOther)
}
