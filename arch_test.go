package sluice_test

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// pkg is what `go list -json` says of one package.
type pkg struct {
	ImportPath string
	Imports    []string
	Standard   bool
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-json", "./...").Output()
	require.NoError(t, err)
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var pkgs []pkg
	for dec.More() {
		var p pkg
		require.NoError(t, dec.Decode(&p))
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// allowed lists, for the core packages, every module-internal or third-party import they may
// have (the standard library is always allowed): the arrows of ARCHITECTURE.md.
var allowed = map[string][]string{
	"sluice":                     {},
	"sluice/validate":            {"sluice", "sluice/catalog", "sluice/ruleeval"},
	"sluice/actionlog":           {"sluice", "sluice/spare"},
	"sluice/spare":               {}, // things made ahead: mechanism, stdlib only
	"sluice/shellword":           {}, // quoting for shell scripts: mechanism, stdlib only
	"sluice/glob":                {},
	"sluice/policy":              {}, // the policy language: pure, stdlib only
	"sluice/catalog":             {"sluice"},
	"sluice/engine":              {"sluice", "sluice/validate", "sluice/catalog", "sluice/ruleeval"},
	"sluice/jobqueue":            {"sluice"},
	"sluice/jobwire":             {"sluice", "sluice/jobcreds"},
	"sluice/runner":              {"sluice", "sluice/actionlog", "sluice/artifact/zipfile", "sluice/spare"},
	"sluice/sandbox":             {"sluice", "sluice/shellword"},
	"sluice/provider/commands":   {"sluice", "sluice/catalog", "sluice/provider/buildenv", "sluice/actionlog", "sluice/shellword", "golang.org/x/sys/unix"},
	"sluice/provider/codecommit": {"sluice", "sluice/catalog"},
	"sluice/provider/localdir":   {"sluice"},
	"sluice/provider/buildenv":   {"sluice"},
	"sluice/provider/codebuild":  {"sluice", "sluice/catalog", "sluice/provider/buildenv", "sluice/artifact/zipfile", "sluice/glob", "sluice/actionlog", "sluice/shellword", "go.yaml.in/yaml/v3"},
	// The S3 deploy provider adapts S3: its SDK imports are listed so that nothing else creeps in.
	"sluice/provider/s3deploy": {"sluice", "sluice/catalog", "sluice/artifact/zipfile", "sluice/artifact/s3store",
		"github.com/aws/aws-sdk-go-v2/aws", "github.com/aws/aws-sdk-go-v2/service/s3", "github.com/aws/smithy-go",
		"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager", "github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager/types"},
	// The Lambda invoker is a queue consumer that speaks HTTP: nothing of the API or the store.
	"sluice/provider/lambda": {"sluice", "sluice/jobqueue", "sluice/jobwire", "sluice/callout"},
	// The alarm watcher is a queue consumer that reads Prometheus over HTTP, nothing more.
	"sluice/provider/alarm": {"sluice", "sluice/jobqueue", "sluice/ruleeval", "sluice/callout"},
	// What those two share when they call out over HTTP: the standard library only.
	"sluice/callout": {},
	// The API client runs in remote workers and the CLI: nothing of the server may come with it.
	"sluice/client": {"sluice", "github.com/aws/aws-sdk-go-v2/aws", "github.com/aws/aws-sdk-go-v2/aws/signer/v4",
		"github.com/aws/aws-sdk-go-v2/aws/retry", "github.com/aws/aws-sdk-go-v2/aws/ratelimit"},
	// The S3 source provider adapts S3 the same way.
	"sluice/provider/s3source": {"sluice", "sluice/catalog", "sluice/artifact/s3store",
		"github.com/aws/aws-sdk-go-v2/aws", "github.com/aws/aws-sdk-go-v2/aws/transport/http",
		"github.com/aws/aws-sdk-go-v2/service/s3", "github.com/aws/smithy-go"},
	// The log client runs in remote workers: nothing of the server may come with it.
	"sluice/logclient": {"sluice", "sluice/actionlog", "sluice/runner", "sluice/client", "github.com/aws/aws-sdk-go-v2/aws", "github.com/aws/aws-sdk-go-v2/aws/signer/v4"},
	// The registry client is the distribution API over net/http, nothing more.
	"sluice/ociregistry":          {},
	"sluice/provider/imagesource": {"sluice", "sluice/catalog", "sluice/ociregistry"},
	// Git hosts' deliveries and trigger filters are pure: git hosts' formats in, decisions out.
	"sluice/hostevent":      {"sluice"},
	"sluice/trigger/filter": {"sluice", "sluice/glob"},
	// The core: every use case, over the engine and the store port; nothing of transport or
	// storage (webhook filters are pure, and compiled to check a PutWebhook).
	"sluice/service": {"sluice", "sluice/engine", "sluice/jobqueue", "sluice/validate", "sluice/catalog",
		"sluice/trigger/filter", "sluice/policy", "sluice/eventbus", "sluice/eventpattern", "sluice/schedule", "sluice/netguard"},
	// Events as EventBridge writes them, rule patterns and schedule expressions: pure.
	"sluice/eventbus": {"sluice"},
	// The router hands outbox events to the core's routes: no store, no transport.
	"sluice/eventroute":   {"sluice", "sluice/eventbus"},
	"sluice/eventpattern": {},
	// Forwarding to a real EventBridge bus: the envelope, and the SDK's signer only.
	"sluice/eventforward": {"sluice", "sluice/eventbus", "github.com/aws/aws-sdk-go-v2/aws", "github.com/aws/aws-sdk-go-v2/aws/signer/v4"},
	"sluice/schedule":     {},
	// Stage-condition rules decided without a job (deployment windows, variable checks): pure.
	"sluice/ruleeval": {"sluice", "sluice/schedule"},
	// Outbox consumers read through the port: no store adapter, no transport.
	"sluice/outbox": {"sluice"},
	// The audit trail's records, export and pruning: through the ports only.
	"sluice/audit": {"sluice"},
	// Retention prunes history through the ports: no store adapter, no transport.
	"sluice/retention": {"sluice"},
	// Triggers decide what a change starts (hookserve serves their HTTP endpoints) and read
	// remote repositories only through gitremote.
	"sluice/trigger": {"sluice", "sluice/engine", "sluice/keylock", "sluice/trigger/filter", "sluice/hostevent", "sluice/gitremote", "sluice/schedule"},
	// The webhook endpoints translate HTTP to trigger decisions and back.
	"sluice/hookserve": {"sluice", "sluice/trigger", "sluice/preauth"},
	// The console adapts the core to the browser: no store, no API adapter, no SDK.
	// Pipeline documents as people write them (JSON or YAML, bare or wrapped): pure.
	"sluice/pipelinedoc": {"sigs.k8s.io/yaml"},
	// The core's error codes as the JSON APIs name them: a table, nothing more.
	"sluice/api/exception": {"sluice"},
	"sluice/console": {"sluice", "sluice/service", "sluice/pipelinedoc", "sluice/api/exception", "sluice/audit", "sluice/actionlog", "sluice/validate", "sluice/catalog",
		"sluice/engine", "sigs.k8s.io/yaml", "go.yaml.in/yaml/v3"},
	// What a server does before it knows who sent a request is mechanism only.
	"sluice/preauth": {},
	// The guard of outbound destinations: addresses and names, nothing of the server.
	"sluice/netguard": {},
	// Outbound deliveries: the store port, the guard and the protocols (HTTP, SMTP), nothing
	// of the API, the service or a store adapter.
	"sluice/delivery": {"sluice", "sluice/netguard"},
}

// forbiddenStd lists standard library packages a core package must not import either.
var forbiddenStd = map[string][]string{
	"sluice/service": {"net/http", "database/sql"},
}

// TestImportDirections fails when a core package imports transport, storage or an SDK.
func TestImportDirections(t *testing.T) {
	t.Parallel()
	for _, p := range listPackages(t) {
		rules, ok := allowed[p.ImportPath]
		if !ok {
			continue
		}
		for _, imp := range p.Imports {
			require.NotContains(t, forbiddenStd[p.ImportPath], imp, "%s must not import %s (see ARCHITECTURE.md)", p.ImportPath, imp)
			if !strings.Contains(strings.Split(imp, "/")[0], ".") && !strings.HasPrefix(imp, "sluice") {
				continue // standard library
			}
			require.Contains(t, rules, imp, "%s must not import %s (see ARCHITECTURE.md)", p.ImportPath, imp)
		}
	}
}

// TestAssemblyOnlyInMain keeps the assembly at the top: node wires every part, so only the
// entry points (cmd/sluice) and the test helpers that start whole servers (node/nodetest)
// may import it, and it imports no entry point.
func TestAssemblyOnlyInMain(t *testing.T) {
	t.Parallel()
	for _, p := range listPackages(t) {
		for _, imp := range p.Imports {
			if imp == "sluice/node" {
				ok := strings.HasPrefix(p.ImportPath, "sluice/cmd/") || strings.HasSuffix(p.ImportPath, "test")
				require.True(t, ok, "%s must not import sluice/node: only entry points assemble", p.ImportPath)
			}
			if p.ImportPath == "sluice/node" {
				require.False(t, strings.HasPrefix(imp, "sluice/cmd/"), "sluice/node must not import the entry point %s", imp)
			}
		}
	}
}

// TestNoTestHelpersInProduction keeps testing code out of the binary.
func TestNoTestHelpersInProduction(t *testing.T) {
	t.Parallel()
	for _, p := range listPackages(t) {
		if strings.HasSuffix(p.ImportPath, "test") { // storetest, artifacttest: suites for tests
			continue
		}
		for _, imp := range p.Imports {
			bad := imp == "testing" || strings.HasPrefix(imp, "github.com/stretchr/testify") || strings.HasSuffix(imp, "test")
			require.False(t, bad, "%s (non-test code) imports the test helper %s", p.ImportPath, imp)
		}
	}
}
