package s3store_test

import (
	"os"
	"testing"

	"sluice/artifact/s3store/s3test"
)

// testBucket is the bucket the tests share, each on a prefix of its own.
const testBucket = "sluice-artifacts"

// gateway is versitygw, a real S3 server, running inside the test process.
var gateway s3test.Gateway

func TestMain(m *testing.M) {
	os.Exit(s3test.Run(m, &gateway, testBucket))
}
