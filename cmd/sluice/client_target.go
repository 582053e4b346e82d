package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"sluice/config"
	"sluice/node"
)

// serverTarget is how a client command (sluice logs, sluice functions) reaches a server: its
// URL, and the data directory whose root key it signs with when the AWS variables do not
// give one.
type serverTarget struct {
	endpoint, dataDir string
}

func defaultTarget() serverTarget {
	d := config.Defaults()
	return serverTarget{endpoint: "http://" + d.Listen, dataDir: d.DataDir}
}

// endpointFlag is the flag naming the server, in every client command and the worker.
const endpointFlag = "endpoint-url"

// endpointEnv is the variable the AWS CLI and SDKs read for the endpoint; Sluice's client
// commands read it too, after the flag, so one `export` serves both.
const endpointEnv = "AWS_ENDPOINT_URL"

// addFlags defines --endpoint-url and --data-dir on f.
func (s *serverTarget) addFlags(f *pflag.FlagSet) {
	f.StringVar(&s.endpoint, endpointFlag, s.endpoint, "URL of the Sluice server (env "+endpointEnv+")")
	f.StringVar(&s.dataDir, "data-dir", s.dataDir, "the server's data directory, holding root-access-key.json (env SLUICE_DATA_DIR)")
}

// credentials resolves the endpoint (see resolveEndpoint) and returns the key to sign with
// (see clientCredentials); SLUICE_DATA_DIR stands in for --data-dir when the flag is not
// given.
func (s *serverTarget) credentials(f *pflag.FlagSet) (aws.CredentialsProvider, error) {
	s.endpoint, _ = resolveEndpoint(f, os.Getenv, "default")
	given := f.Changed("data-dir")
	if v := os.Getenv("SLUICE_DATA_DIR"); v != "" && !given {
		s.dataDir = v
	}
	creds, err := clientCredentials(s.dataDir, given, os.Getenv)
	if err != nil {
		return nil, err
	}
	return credentials.StaticCredentialsProvider{Value: creds}, nil
}

// resolveEndpoint is the server URL of f's --endpoint-url and where it came from: the flag
// when given, else AWS_ENDPOINT_URL when set, else the flag's default (described by
// fallback). It also sets the flag's value, so that a later look (see explainUnreachable)
// sees the URL used. f without the flag gives "".
func resolveEndpoint(f *pflag.FlagSet, getenv func(string) string, fallback string) (url, source string) {
	fl := f.Lookup(endpointFlag)
	switch {
	case fl == nil:
		return "", ""
	case fl.Changed:
		return fl.Value.String(), "--" + endpointFlag
	case getenv(endpointEnv) != "":
		_ = fl.Value.Set(getenv(endpointEnv))
		return fl.Value.String(), endpointEnv
	}
	return fl.Value.String(), fallback
}

// explainUnreachable turns an error of cmd that failed to connect to its server into one
// that names the URL and where it came from, and the usual cause.
func explainUnreachable(cmd *cobra.Command, err error) error {
	op, ok := dialFails(err)
	if cmd == nil || !ok {
		return err
	}
	fallback := "default"
	if cmd.Annotations[endpointFallbackAnnotation] != "" {
		fallback = cmd.Annotations[endpointFallbackAnnotation]
	}
	url, source := resolveEndpoint(cmd.Flags(), os.Getenv, fallback)
	if url == "" {
		return err
	}
	return errors.New(unreachable(url, source, op))
}

func unreachable(url, source string, err error) string {
	return fmt.Sprintf("could not reach Sluice at %s (from %s): %v; is `sluice server` running?", url, source, err)
}

// dialFails is the connection error of err, when err is one.
func dialFails(err error) (*net.OpError, bool) {
	var op *net.OpError
	return op, errors.As(err, &op) && op.Op == "dial"
}

// endpointFallbackAnnotation, on a command, names where its --endpoint-url default comes
// from when that is not Sluice's default address (the worker's SLUICE_SERVER).
const endpointFallbackAnnotation = "sluice/endpoint-fallback"

// clientRegion is the region requests are signed for (the server accepts any).
func clientRegion() string {
	return firstNonEmpty(os.Getenv("AWS_REGION"), os.Getenv("AWS_DEFAULT_REGION"), "us-east-1")
}

// clientCredentials chooses the key requests are signed with: the AWS variables unless
// --data-dir was given, else the root key stored in the data directory.
func clientCredentials(dataDir string, dataDirGiven bool, getenv func(string) string) (aws.Credentials, error) {
	id, secret := getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY")
	if !dataDirGiven && id != "" && secret != "" {
		return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret}, nil
	}
	path := filepath.Join(dataDir, node.KeyFile)
	k, err := node.ReadKey(path)
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to a Sluice access key, "+
			"or give --data-dir of the server (%w)", err)
	}
	return aws.Credentials{AccessKeyID: k.ID, SecretAccessKey: k.Secret}, nil
}

// pipelineClient is the CodePipeline API client of a client command, on the resolved
// endpoint, with the credentials the command signs with.
func (s *serverTarget) pipelineClient(f *pflag.FlagSet) (*codepipeline.Client, aws.CredentialsProvider, error) {
	creds, err := s.credentials(f)
	if err != nil {
		return nil, nil, err
	}
	cp := codepipeline.NewFromConfig(aws.Config{Region: clientRegion(), Credentials: creds},
		func(o *codepipeline.Options) { o.BaseEndpoint = aws.String(s.endpoint) })
	return cp, creds, nil
}
