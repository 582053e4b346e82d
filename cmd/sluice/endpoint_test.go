package main

import (
	"bytes"
	"os"
	"os/exec"
	"testing"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/require"
)

func TestResolveEndpoint(t *testing.T) {
	t.Parallel()
	flags := func(t *testing.T, args ...string) *pflag.FlagSet {
		t.Helper()
		target := defaultTarget()
		f := pflag.NewFlagSet("x", pflag.ContinueOnError)
		target.addFlags(f)
		require.NoError(t, f.Parse(args))
		return f
	}
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "AWS_ENDPOINT_URL" {
				return v
			}
			return ""
		}
	}

	t.Run("FlagWinsOverEnvironment", func(t *testing.T) {
		t.Parallel()
		url, source := resolveEndpoint(flags(t, "--endpoint-url", "http://flag:1"), env("http://env:2"), "default")
		require.Equal(t, "http://flag:1", url)
		require.Equal(t, "--endpoint-url", source)
	})
	t.Run("EnvironmentWinsOverDefault", func(t *testing.T) {
		t.Parallel()
		url, source := resolveEndpoint(flags(t), env("http://env:2"), "default")
		require.Equal(t, "http://env:2", url)
		require.Equal(t, "AWS_ENDPOINT_URL", source)
	})
	t.Run("Default", func(t *testing.T) {
		t.Parallel()
		url, source := resolveEndpoint(flags(t), env(""), "default")
		require.Equal(t, defaultTarget().endpoint, url)
		require.Equal(t, "default", source)
	})
}

// TestClientCommandEndpoint runs the binary: the flag beats AWS_ENDPOINT_URL, the variable
// alone is used, and a server that is not there is named with where its URL came from.
func TestClientCommandEndpoint(t *testing.T) {
	t.Parallel()
	l := setupLogsCLI(t)
	const nowhere = "http://127.0.0.1:1"
	run := func(t *testing.T, envURL string, args ...string) string {
		t.Helper()
		cmd := exec.Command(sluiceBinary(t), append([]string{"history", "nope", "--data-dir", l.dataDir}, args...)...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_ENDPOINT_URL="+envURL)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		require.Error(t, cmd.Run())
		return stderr.String()
	}

	t.Run("FlagBeatsEnvironment", func(t *testing.T) {
		t.Parallel()
		require.Contains(t, run(t, nowhere, "--endpoint-url", l.URL), "does not have a pipeline with name 'nope'")
	})
	t.Run("EnvironmentAlone", func(t *testing.T) {
		t.Parallel()
		require.Contains(t, run(t, l.URL), "does not have a pipeline with name 'nope'")
	})
	t.Run("ErrUnreachableNamesTheFlag", func(t *testing.T) {
		t.Parallel()
		stderr := run(t, l.URL, "--endpoint-url", nowhere)
		require.Contains(t, stderr, "could not reach Sluice at "+nowhere+" (from --endpoint-url)")
		require.Contains(t, stderr, "is `sluice server` running?")
	})
	t.Run("ErrUnreachableNamesTheVariable", func(t *testing.T) {
		t.Parallel()
		require.Contains(t, run(t, nowhere), "could not reach Sluice at "+nowhere+" (from AWS_ENDPOINT_URL)")
	})
}
