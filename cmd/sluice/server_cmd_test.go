package main

import (
	"testing"
	"time"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/require"

	"sluice/artifact/s3store"
	"sluice/config"
)

// TestSourceSettingsFlags: the registry and polling settings layer as the others do, and
// the registry password has no flag.
func TestSourceSettingsFlags(t *testing.T) {
	t.Parallel()
	fs := pflag.NewFlagSet("server", pflag.ContinueOnError)
	defaults, pathStyle := config.Defaults(), false
	serverFlags(fs, &defaults, &pathStyle)
	require.Nil(t, fs.Lookup("registry-password"))
	require.NoError(t, fs.Parse([]string{"--registry", "https://flag.example.com", "--poll-interval", "2m"}))
	env := map[string]string{"SLUICE_REGISTRY": "http://env:5000", "SLUICE_REGISTRY_USERNAME": "ci", "SLUICE_REGISTRY_PASSWORD": "pw",
		"SLUICE_POLL_INTERVAL": "10s"}
	cfg, err := serverConfig(fs, func(k string) string { return env[k] })
	require.NoError(t, err)
	require.Equal(t, "https://flag.example.com", cfg.Registry)
	require.Equal(t, "ci", cfg.RegistryUsername)
	require.Equal(t, "pw", cfg.RegistryPassword)
	require.Equal(t, 2*time.Minute, cfg.PollInterval, "one polling setting for every kind of source")
}

// TestS3SettingsLayering: defaults < SLUICE_* variables < flags, then the S3 store's
// settings as the server will use them.
func TestS3SettingsLayering(t *testing.T) {
	t.Parallel()
	env := map[string]string{"SLUICE_ARTIFACT_STORE": "s3://env-bucket/env", "SLUICE_S3_ENDPOINT": "http://env:9000",
		"SLUICE_S3_REGION": "eu-west-1", "SLUICE_S3_PATH_STYLE": "false"}
	layered := func(t *testing.T, env map[string]string, args ...string) (config.Server, error) {
		t.Helper()
		fs := pflag.NewFlagSet("server", pflag.ContinueOnError)
		defaults, pathStyle := config.Defaults(), false
		serverFlags(fs, &defaults, &pathStyle)
		require.NoError(t, fs.Parse(args))
		return serverConfig(fs, func(k string) string { return env[k] })
	}

	t.Run("EnvThenFlags", func(t *testing.T) {
		t.Parallel()
		cfg, err := layered(t, env, "--s3-endpoint", "https://flag.example", "--s3-path-style")
		require.NoError(t, err)
		got, err := cfg.S3Artifacts()
		require.NoError(t, err)
		require.Equal(t, s3store.Config{Bucket: "env-bucket", Prefix: "env", Endpoint: "https://flag.example",
			Region: "eu-west-1", PathStyle: true}, got)
	})
	t.Run("EnvOnly", func(t *testing.T) {
		t.Parallel()
		cfg, err := layered(t, env)
		require.NoError(t, err)
		got, err := cfg.S3Artifacts()
		require.NoError(t, err)
		require.Equal(t, s3store.Config{Bucket: "env-bucket", Prefix: "env", Endpoint: "http://env:9000",
			Region: "eu-west-1"}, got)
	})
	t.Run("PathStyleDefault", func(t *testing.T) {
		t.Parallel()
		cfg, err := layered(t, nil, "--artifact-store", "s3://b", "--s3-endpoint", "http://127.0.0.1:9000")
		require.NoError(t, err)
		got, err := cfg.S3Artifacts()
		require.NoError(t, err)
		require.True(t, got.PathStyle, "a custom endpoint defaults to path-style")
		cfg, err = layered(t, nil, "--artifact-store", "s3://b")
		require.NoError(t, err)
		got, err = cfg.S3Artifacts()
		require.NoError(t, err)
		require.False(t, got.PathStyle, "AWS itself defaults to virtual-hosted style")
	})
	t.Run("S3ClientWithArtifactsOnDisk", func(t *testing.T) {
		t.Parallel()
		cfg, err := layered(t, nil, "--s3-endpoint", "http://127.0.0.1:9000", "--s3-region", "garage")
		require.NoError(t, err, "S3 deploys use the settings without an S3 artifact store")
		cfg.DataDir = t.TempDir()
		require.NoError(t, cfg.Validate())
		require.True(t, cfg.ArtifactsOnDisk())
		require.Equal(t, s3store.Config{Endpoint: "http://127.0.0.1:9000", Region: "garage", PathStyle: true}, cfg.S3Client())
	})
	t.Run("FileByDefault", func(t *testing.T) {
		t.Parallel()
		cfg, err := layered(t, nil)
		require.NoError(t, err)
		require.True(t, cfg.ArtifactsOnDisk())
		cfg, err = layered(t, nil, "--artifact-store", "file")
		require.NoError(t, err)
		require.True(t, cfg.ArtifactsOnDisk())
	})
	t.Run("ErrPathStyleEnv", func(t *testing.T) {
		t.Parallel()
		_, err := layered(t, map[string]string{"SLUICE_S3_PATH_STYLE": "maybe"})
		require.ErrorContains(t, err, "SLUICE_S3_PATH_STYLE")
	})
}
