package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
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

// addFlags defines --endpoint-url and --data-dir on f.
func (s *serverTarget) addFlags(f *pflag.FlagSet) {
	f.StringVar(&s.endpoint, "endpoint-url", s.endpoint, "URL of the Sluice server")
	f.StringVar(&s.dataDir, "data-dir", s.dataDir, "the server's data directory, holding root-access-key.json (env SLUICE_DATA_DIR)")
}

// credentials is the key to sign with (see clientCredentials); SLUICE_DATA_DIR stands in for
// --data-dir when the flag is not given.
func (s *serverTarget) credentials(f *pflag.FlagSet) (aws.CredentialsProvider, error) {
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
