package nodetest

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"sluice/client"
)

// SignedCall makes one call of a target with the test key through the project's own API
// client, for requests the SDK would check or shape itself, and decodes the answer into out
// (unless nil).
func (b *Bundle) SignedCall(ctx context.Context, target string, in, out any) error {
	creds := credentials.NewStaticCredentialsProvider(KeyID, Secret, "")
	return client.New(b.URL, "us-east-1", creds, nil).Call(ctx, target, "codepipeline", in, out)
}
