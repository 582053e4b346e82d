package node

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"sluice"
	"sluice/audit"
	"sluice/githost"
)

// gitAudit records a git request that passed authentication as CodeCommit's GitPull or
// GitPush event. Git's refs live in the repository, not the database, so the record is
// written once the request is served (a push's pack after its refs moved, before the
// pipelines it starts).
func (n *Node) gitAudit(r *http.Request, q githost.Request, status int, updates []sluice.RefUpdate) {
	name, pack := "GitPull", r.Method == http.MethodPost
	if q.Push() {
		name = "GitPush"
	}
	readOnly := name == "GitPull" || !pack // a push's ref advertisement reads
	var params []byte
	if name == "GitPush" && pack {
		refs := make([]map[string]string, 0, len(updates))
		for _, u := range updates {
			refs = append(refs, map[string]string{"commit": u.New, "ref": u.Ref})
		}
		params, _ = json.Marshal(map[string]any{"references": refs}) // strings encode
	}
	scope := n.API.Service.Scope()
	ctx, rec := audit.Begin(r.Context(), audit.Call{Source: "codecommit.amazonaws.com", Name: name,
		Region: scope.Region, Account: scope.Account, Caller: n.gitCaller(r), Params: params, ReadOnly: &readOnly,
		Resources: []sluice.AuditResource{{ARN: scope.ARN(sluice.RepositoryARN, q.Repo), AccountID: scope.Account,
			Type: "AWS::CodeCommit::Repository", Name: q.Repo}},
		Additional: map[string]any{"protocol": "HTTP", "repositoryName": q.Repo, "dataTransferred": pack && status < 300}})
	code, msg := httpErrorCode(status)
	if err := audit.End(ctx, n.API.Service, rec, nil, code, msg); err != nil {
		n.Log.Error("audit: record a git request", "repo", q.Repo, "err", err)
	}
}

// gitCaller is who sent a git request: the principal of the access key of its basic auth.
func (n *Node) gitCaller(r *http.Request) sluice.Caller {
	c := sluice.Caller{SourceIP: audit.SourceIP(r.RemoteAddr), UserAgent: r.UserAgent()}
	if id, _, ok := r.BasicAuth(); ok {
		c.AccessKeyID = id
		if k, err := n.DB.GetAccessKey(r.Context(), id); err == nil {
			c.Principal = k.Principal
		}
	}
	return c
}

// httpErrorCode names the error of an HTTP status of git or a webhook endpoint ("" for
// success), as the JSON APIs name theirs.
func httpErrorCode(status int) (code, message string) {
	switch {
	case status < 400:
		return "", ""
	case status == http.StatusForbidden:
		return "AccessDenied", "Access denied (HTTP 403)"
	case status == http.StatusNotFound:
		return "RepositoryDoesNotExistException", "Not found (HTTP 404)"
	case status >= 500:
		return "InternalFailure", "HTTP " + strconv.Itoa(status)
	}
	return "InvalidRequestException", "HTTP " + strconv.Itoa(status) + " " + http.StatusText(status)
}

// auditTasks are the audit trail's background work: pruning past the retention, and the
// JSON-lines export when one is configured.
func (n *Node) auditTasks() []func(context.Context) {
	pruner := &audit.Pruner{Store: n.DB, Clock: SystemClock{}, Retention: n.Config.AuditRetention, Log: n.Log}
	tasks := []func(context.Context){pruner.Run}
	if n.Config.AuditExport != "" {
		x := &audit.Exporter{Path: n.Config.AuditExport, Store: n.DB, Log: n.Log}
		tasks = append(tasks, x.Run)
	}
	return tasks
}
