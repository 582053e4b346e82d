package query

import (
	"encoding/xml"
	"net/url"
	"strings"
	"time"

	"sluice"
	"sluice/service"
)

// members is a list as the query protocol writes it: <Name><member>…</member></Name>, and
// <Name/> when empty (present and empty, as AWS answers).
type members[T any] []T

func (m members[T]) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	for _, v := range m {
		if err := e.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: "member"}}); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

// date is IAM's timestamp: ISO-8601 UTC to the second.
func date(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// encodeDocument percent-encodes a policy document as IAM answers it (RFC 3986: a space is
// %20, never '+', which the CLI's unquote would keep).
func encodeDocument(doc string) string {
	return strings.ReplaceAll(url.QueryEscape(doc), "+", "%20")
}

type xUser struct {
	Path       string `xml:"Path,omitempty"`
	UserName   string `xml:"UserName,omitempty"`
	UserID     string `xml:"UserId"`
	Arn        string
	CreateDate string
}

func userOut(u *sluice.User) xUser {
	return xUser{Path: u.Path, UserName: u.Name, UserID: u.ID, Arn: u.ARN, CreateDate: date(u.Created)}
}

func usersOut(us []*sluice.User) members[xUser] {
	out := members[xUser]{}
	for _, u := range us {
		out = append(out, userOut(u))
	}
	return out
}

type xGroup struct {
	Path       string
	GroupName  string
	GroupID    string `xml:"GroupId"`
	Arn        string
	CreateDate string
}

func groupsOut(gs []*sluice.Group) members[xGroup] {
	out := members[xGroup]{}
	for _, g := range gs {
		out = append(out, xGroup{Path: g.Path, GroupName: g.Name, GroupID: g.ID, Arn: g.ARN, CreateDate: date(g.Created)})
	}
	return out
}

type xAccessKey struct {
	UserName        string `xml:"UserName,omitempty"`
	AccessKeyID     string `xml:"AccessKeyId"`
	Status          string
	SecretAccessKey string `xml:"SecretAccessKey,omitempty"`
	CreateDate      string
}

func keyOut(k *sluice.AccessKey) xAccessKey {
	return xAccessKey{UserName: k.UserName, AccessKeyID: k.ID, Status: string(k.Status), SecretAccessKey: k.Secret, CreateDate: date(k.Created)}
}

type xPolicy struct {
	PolicyName                    string
	PolicyID                      string `xml:"PolicyId"`
	Arn                           string
	Path                          string
	DefaultVersionID              string `xml:"DefaultVersionId"`
	AttachmentCount               int
	PermissionsBoundaryUsageCount int
	IsAttachable                  bool
	Description                   string `xml:"Description,omitempty"`
	CreateDate                    string
	UpdateDate                    string
}

func policyOut(p *service.ManagedPolicyInfo, withDescription bool) xPolicy {
	x := xPolicy{PolicyName: p.Name, PolicyID: p.ID, Arn: p.ARN, Path: p.Path, DefaultVersionID: p.DefaultVersion,
		AttachmentCount: p.Attachments, IsAttachable: true, CreateDate: date(p.Created), UpdateDate: date(p.Updated)}
	if withDescription {
		x.Description = p.Description // ListPolicies leaves it out, as IAM does
	}
	return x
}

type xAttached struct {
	PolicyName string
	PolicyArn  string
}

type listed struct {
	IsTruncated bool
	Marker      string `xml:"Marker,omitempty"`
}

func page(marker string) listed { return listed{IsTruncated: marker != "", Marker: marker} }
