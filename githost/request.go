package githost

import (
	"net/http"
	"strings"
)

// The two git services of the smart HTTP protocol.
const (
	ServiceUploadPack  = "git-upload-pack"  // clone and fetch
	ServiceReceivePack = "git-receive-pack" // push
)

// PathPrefix is where CodeCommit serves repositories (https://HOST/v1/repos/NAME), and so
// where Sluice mounts Handler, with the prefix stripped.
const PathPrefix = "/v1/repos/"

// Request is what a smart HTTP request asks: which repository, and which service.
type Request struct {
	Repo    string
	Service string // ServiceUploadPack or ServiceReceivePack
}

// Push reports whether the request is part of a push, for authorization.
func (q Request) Push() bool { return q.Service == ServiceReceivePack }

// ParseRequest reads a request of the smart HTTP protocol, its path stripped of the mount
// prefix: NAME/info/refs?service=..., NAME/git-upload-pack or NAME/git-receive-pack, with or
// without a leading "/" and with or without ".git" after NAME. The dumb protocol and
// anything else are refused (ok false).
func ParseRequest(r *http.Request) (q Request, ok bool) {
	name, endpoint, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if !ok {
		return Request{}, false
	}
	// Names never end in .git, so the suffix is unambiguous.
	name = strings.TrimSuffix(name, ".git")
	if ValidateName(name) != nil {
		return Request{}, false
	}
	service := endpoint
	if endpoint == "info/refs" {
		service = r.URL.Query().Get("service")
	}
	if service != ServiceUploadPack && service != ServiceReceivePack {
		return Request{}, false
	}
	return Request{Repo: name, Service: service}, true
}

// CloneURL is the URL git clones a repository from, given the server's base URL
// (e.g. "https://sluice.example.com", credentials optional).
func CloneURL(endpoint, name string) string {
	return strings.TrimSuffix(endpoint, "/") + PathPrefix + name
}
