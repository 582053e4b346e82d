package deliverytest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// SNSValidator runs the npm package sns-validator (the JavaScript validator AWS's docs point
// to) through delivery/testdata/snsvalidator/validate.js. It needs node and `npm ci` there;
// without them the test is skipped, or fails under SLUICE_REQUIRE_SNSVALIDATOR.
type SNSValidator struct{ dir string }

// NeedSNSValidator returns the validator, or skips (or fails) t when it is missing.
func NeedSNSValidator(t *testing.T) SNSValidator {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "testdata", "snsvalidator")
	_, errNode := exec.LookPath("node")
	_, errMod := os.Stat(filepath.Join(dir, "node_modules", "sns-validator"))
	if errNode != nil || errMod != nil {
		if os.Getenv("SLUICE_REQUIRE_SNSVALIDATOR") != "" {
			t.Fatalf("node or sns-validator missing (npm ci --prefix delivery/testdata/snsvalidator): %v %v", errNode, errMod)
		}
		t.Skip("node or sns-validator not installed")
	}
	return SNSValidator{dir: dir}
}

// Validate checks messages (JSON, one a line) whose SigningCertURL must be on host,
// trusting the CA certificate in caFile, and returns the validator's output: a line a
// message, "ok <MessageId>" or "error <MessageId> <reason>".
func (v SNSValidator) Validate(t *testing.T, host, caFile, messages string) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), "node", "validate.js", "^"+regexp.QuoteMeta(host)+"$")
	cmd.Dir, cmd.Stdin = v.dir, strings.NewReader(messages)
	// Only what node needs: the test's own environment (its keys) stays out.
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "NODE_EXTRA_CA_CERTS=" + caFile}
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	return string(out)
}
