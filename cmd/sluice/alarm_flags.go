package main

import (
	"github.com/spf13/pflag"

	"sluice/config"
)

// alarmFlags are the settings of CloudWatchAlarm stage-condition rules (docs/alarms.md).
func alarmFlags(f *pflag.FlagSet, cfg *config.Server) {
	f.StringVar(&cfg.PrometheusURL, "prometheus-url", cfg.PrometheusURL, "base URL of the Prometheus server whose alerts CloudWatchAlarm rules of stage conditions watch: a rule's AlarmName is an alert's alertname, firing is ALARM, pending INSUFFICIENT_DATA, absent OK; e.g. http://127.0.0.1:9090 (see docs/alarms.md). Without it those rules fail at once (env SLUICE_PROMETHEUS_URL)")
}
