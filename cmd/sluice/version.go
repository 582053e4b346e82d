package main

import (
	"runtime/debug"
	"strings"
)

// version is set at link time: go build -ldflags "-X main.version=v1.2.3" ./cmd/sluice.
var version string

// versionString is the version this binary reports: the one given at link time, else the
// module version go install recorded, else the commit go build recorded (with "-dirty"
// when the tree had changes), else "devel".
func versionString() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	return fromBuildInfo(info)
}

func fromBuildInfo(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	rev := settings["vcs.revision"]
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := "devel-" + rev
	if settings["vcs.modified"] == "true" {
		v += "-dirty"
	}
	if t := settings["vcs.time"]; t != "" {
		v += " (" + strings.TrimSuffix(t, "Z") + "Z)"
	}
	return v + " " + info.GoVersion
}
