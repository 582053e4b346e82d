package config

import (
	"fmt"
	"net/url"
)

// sourcesFromEnv applies SLUICE_REGISTRY, SLUICE_REGISTRY_USERNAME,
// and SLUICE_REGISTRY_PASSWORD. The password has no flag, so it never shows in a process
// listing.
func (s Server) sourcesFromEnv(getenv func(string) string) (Server, error) {
	for k, p := range map[string]*string{"SLUICE_REGISTRY": &s.Registry, "SLUICE_REGISTRY_USERNAME": &s.RegistryUsername,
		"SLUICE_REGISTRY_PASSWORD": &s.RegistryPassword} {
		if v := getenv(k); v != "" {
			*p = v
		}
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
	}
	return nil
}
