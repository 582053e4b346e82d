package config

import (
	"fmt"
	"net/url"
)

// alarmsFromEnv applies SLUICE_PROMETHEUS_URL.
func (s Server) alarmsFromEnv(getenv func(string) string) Server {
	if v := getenv("SLUICE_PROMETHEUS_URL"); v != "" {
		s.PrometheusURL = v
	}
	return s
}

func (s *Server) validateAlarms() error {
	if s.PrometheusURL == "" {
		return nil
	}
	u, err := url.Parse(s.PrometheusURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("--prometheus-url %q: want the http(s) base URL of a Prometheus server, such as http://127.0.0.1:9090", s.PrometheusURL)
	}
	if s.AlarmInterval < 0 || s.AlarmMinute < 0 {
		return fmt.Errorf("the alarm check interval and minute must not be negative")
	}
	return nil
}
