package config

import (
	"fmt"
	"net/url"
	"time"
)

// DefaultSourcePollInterval is how often S3 and image sources are polled: CodePipeline
// documents no interval for its polling, about a minute is what users see.
const DefaultSourcePollInterval = time.Minute

// minSourcePollInterval keeps a typo (1ms) from hammering S3 and registries.
const minSourcePollInterval = time.Second

// sourcesFromEnv applies SLUICE_REGISTRY, SLUICE_REGISTRY_USERNAME,
// SLUICE_REGISTRY_PASSWORD and SLUICE_SOURCE_POLL_INTERVAL. The password has no flag, so
// it never shows in a process listing.
func (s Server) sourcesFromEnv(getenv func(string) string) (Server, error) {
	for k, p := range map[string]*string{"SLUICE_REGISTRY": &s.Registry, "SLUICE_REGISTRY_USERNAME": &s.RegistryUsername,
		"SLUICE_REGISTRY_PASSWORD": &s.RegistryPassword} {
		if v := getenv(k); v != "" {
			*p = v
		}
	}
	if v := getenv("SLUICE_SOURCE_POLL_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return s, fmt.Errorf("SLUICE_SOURCE_POLL_INTERVAL=%q: want a duration such as 1m or 30s, or 0 to turn polling off", v)
		}
		s.SourcePollInterval = d
	}
	return s, nil
}

// RegistryURL is the default registry's base URL, nil when none is set.
func (s Server) RegistryURL() *url.URL {
	if s.Registry == "" {
		return nil
	}
	u, _ := url.Parse(s.Registry) // validated
	return u
}

func (s Server) validateSources() error {
	if s.Registry != "" {
		u, err := url.Parse(s.Registry)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			return fmt.Errorf("--registry %q: want the registry's URL, such as http://127.0.0.1:5000 or https://registry.example.com", s.Registry)
		}
	}
	switch {
	case s.RegistryUsername != "" && s.Registry == "":
		return fmt.Errorf("--registry-username is set but --registry is not: credentials go only to the --registry host")
	case (s.RegistryUsername == "") != (s.RegistryPassword == ""):
		return fmt.Errorf("set both --registry-username and SLUICE_REGISTRY_PASSWORD, or neither")
	case s.SourcePollInterval < 0 || (s.SourcePollInterval > 0 && s.SourcePollInterval < minSourcePollInterval):
		return fmt.Errorf("--source-poll-interval %s: want 0 (no polling) or at least %s", s.SourcePollInterval, minSourcePollInterval)
	}
	return nil
}
