// Package hostevent adapts git hosts' webhook deliveries (GitHub, GitLab, Bitbucket) to
// sluice.GitEvent and verifies their signatures. It is pure: no I/O, no storage. Callers
// verify first, then parse, then refuse a DeliveryID they have seen.
package hostevent

import (
	"errors"
	"fmt"
	"net/http"

	"sluice"
)

// Provider types, as CodeConnections spells them; BitbucketServer is Sluice's own name for
// Bitbucket Server / Data Center, whose deliveries Bitbucket also recognises by event key.
const (
	ProviderGitHub                 = "GitHub"
	ProviderGitHubEnterpriseServer = "GitHubEnterpriseServer"
	ProviderGitLab                 = "GitLab"
	ProviderGitLabSelfManaged      = "GitLabSelfManaged"
	ProviderBitbucket              = "Bitbucket"
	ProviderBitbucketServer        = "BitbucketServer"
)

var (
	// ErrUnknownProvider is a provider type this package does not adapt.
	ErrUnknownProvider = errors.New("unknown webhook provider")
	// ErrMalformed is a delivery that is not what its host sends: no event header, or a body
	// that is not the JSON its event promises.
	ErrMalformed = errors.New("malformed webhook delivery")
)

// Parse reads one delivery. Events no trigger reacts to come back as GitEventIgnored with a
// reason, not as an error; a body that does not decode is ErrMalformed.
func Parse(provider string, header http.Header, body []byte) (*sluice.GitEvent, error) {
	var (
		ev  *sluice.GitEvent
		err error
	)
	switch provider {
	case ProviderGitHub, ProviderGitHubEnterpriseServer:
		ev, err = parseGitHub(header, body)
	case ProviderGitLab, ProviderGitLabSelfManaged:
		ev, err = parseGitLab(header, body)
	case ProviderBitbucket, ProviderBitbucketServer:
		ev, err = parseBitbucket(header, body)
	default:
		return nil, fmt.Errorf("%w %q", ErrUnknownProvider, provider)
	}
	if err != nil {
		return nil, err
	}
	for i := range ev.More {
		ev.More[i].DeliveryID, ev.More[i].HookID = ev.DeliveryID, ev.HookID
	}
	return ev, nil
}

func malformed(provider, event string, err error) error {
	return fmt.Errorf("%w: %s %q event: %w", ErrMalformed, provider, event, err)
}

func ignored(reason string) *sluice.GitEvent {
	return &sluice.GitEvent{Kind: sluice.GitEventIgnored, Reason: reason}
}
