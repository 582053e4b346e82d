package main

import (
	"github.com/spf13/pflag"

	"sluice/config"
)

// retainFlags are the settings of execution history's retention.
func retainFlags(f *pflag.FlagSet, cfg *config.Server) {
	f.Var(&cfg.Retain, "retain", "execution history each pipeline keeps: an age (90d, 12w, 36h; at least 1h), a count of the newest executions (500), "+
		"or both (90d,500: an execution goes when it is older OR past the count); pruned hourly with its action executions, logs and artifacts, "+
		"never while it runs or while a rollback may need it (env SLUICE_RETAIN; default: keep everything; see docs/retention.md)")
}
