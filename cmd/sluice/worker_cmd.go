package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"sluice/config"
	"sluice/node"
	"sluice/sandbox"
	"sluice/worker"
)

// workerFlags are `sluice worker`'s settings.
type workerFlags struct {
	server, region, name, workDir, keyID, secret, sandbox string
	labels, actionEnv                                     []string
	capacity                                              int
}

func workerCmd() *cobra.Command {
	host, _ := os.Hostname()
	f := workerFlags{region: "us-east-1", capacity: runtime.NumCPU(), name: fmt.Sprintf("%s-%d", host, os.Getpid())}
	cmd := &cobra.Command{
		Use:   "worker --endpoint-url URL",
		Short: "Run actions for a Sluice server on this machine",
		Long: "Run a worker: it takes jobs of the built-in actions that run on workers (Compute/AWS/Commands,\n" +
			"Build and Test/AWS/CodeBuild, Deploy/AWS/S3) from the server's queue, the same queue the\n" +
			"server's in-process workers take from, and reports their results over the API. Start the\n" +
			"server with --workers 0 to run every job but source actions on worker processes.\n\n" +
			"An action whose configuration sets WorkerLabel runs only on workers started with that label in\n" +
			"--labels; actions without one run anywhere.\n\n" +
			"Credentials: --access-key-id and --secret-access-key, else SLUICE_ACCESS_KEY_ID and\n" +
			"SLUICE_SECRET_ACCESS_KEY, else the standard AWS settings (AWS_ACCESS_KEY_ID, AWS_PROFILE, ...).\n" +
			"Give each worker its own key, allowed the worker protocol only, not the root key:\n" +
			"  aws iam create-user --user-name worker-1 --endpoint-url $E\n" +
			"  aws iam attach-user-policy --user-name worker-1 --endpoint-url $E \\\n" +
			"      --policy-arn arn:aws:iam::aws:policy/sluice/SluiceWorkerAccess\n" +
			"  aws iam create-access-key --user-name worker-1 --endpoint-url $E\n" +
			"To bind the key to labels, add the Deny on other labels that docs/security.md shows.\n" +
			"The S3 deploy action reaches its buckets with SLUICE_S3_ENDPOINT, SLUICE_S3_REGION, SLUICE_S3_PATH_STYLE and the AWS settings.\n\n" +
			"Actions run in a bubblewrap sandbox (apt-get install bubblewrap; --sandbox off runs them\n" +
			"unsandboxed, with a warning): as user 65534, seeing the system's directories read-only, their\n" +
			"own workspace, a private /tmp and /proc, with the network on; never the work directory's\n" +
			"other jobs or this worker's files. Their environment is PATH, HOME, LANG, TMPDIR, the\n" +
			"CODEPIPELINE_* variables, the action's own and --action-env's: nothing else of the worker's,\n" +
			"so its credentials never reach them.\n\n" +
			"On SIGINT or SIGTERM the worker stops taking jobs and lets running ones finish; a second\n" +
			"signal abandons them (their leases expire and the server fails them).\n\n" +
			"The server is --endpoint-url (--server, its older name, still works), else AWS_ENDPOINT_URL,\n" +
			"else SLUICE_SERVER.",
		Example:     "  sluice worker --endpoint-url http://ci.example.com:7080 --labels gpu,linux --capacity 4",
		RunE:        func(cmd *cobra.Command, _ []string) error { return runWorker(cmd, f) },
		Annotations: map[string]string{endpointFallbackAnnotation: "SLUICE_SERVER"},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.server, endpointFlag, os.Getenv("SLUICE_SERVER"), "base URL of the Sluice server (env "+endpointEnv+", then SLUICE_SERVER; --server is an alias)")
	fl.SetNormalizeFunc(serverAlias)
	fl.StringSliceVar(&f.labels, "labels", nil, "labels of this worker: it also runs actions whose WorkerLabel is one of them")
	fl.IntVar(&f.capacity, "capacity", f.capacity, "jobs run at once")
	fl.StringVar(&f.name, "name", f.name, "worker name shown on its jobs")
	fl.StringVar(&f.workDir, "work-dir", os.Getenv("SLUICE_WORK_DIR"), "directory for workspaces and spooled uploads (env SLUICE_WORK_DIR; default a new temporary directory)")
	fl.StringVar(&f.sandbox, "sandbox", envOr("SLUICE_SANDBOX", sandbox.ModeBwrap), `how actions' code is isolated: "bwrap" or "off" (env SLUICE_SANDBOX)`)
	fl.StringArrayVar(&f.actionEnv, "action-env", envList("SLUICE_ACTION_ENV"), "add a variable to every action's environment: NAME=VALUE, or NAME for this process's value; repeatable (env SLUICE_ACTION_ENV, comma-separated)")
	fl.StringVar(&f.region, "region", f.region, "region the requests are signed for")
	fl.StringVar(&f.keyID, "access-key-id", "", "access key id (env SLUICE_ACCESS_KEY_ID)")
	fl.StringVar(&f.secret, "secret-access-key", "", "secret access key (env SLUICE_SECRET_ACCESS_KEY)")
	return cmd
}

func runWorker(cmd *cobra.Command, f workerFlags) error {
	var source string
	if f.server, source = resolveEndpoint(cmd.Flags(), os.Getenv, "SLUICE_SERVER"); f.server == "" {
		return fmt.Errorf("--endpoint-url is required (or AWS_ENDPOINT_URL): the URL of the Sluice server, such as http://127.0.0.1:7080")
	}
	creds, err := workerCredentials(cmd.Context(), f)
	if err != nil {
		return err
	}
	// The S3 deploy action's target settings, as the server takes them from its environment.
	s3, err := config.Defaults().FromEnv(os.Getenv)
	if err != nil {
		return err
	}
	if f.workDir == "" {
		if f.workDir, err = os.MkdirTemp("", "sluice-worker-"); err != nil {
			return err
		}
		defer os.RemoveAll(f.workDir)
	}
	env, err := config.ActionEnv(f.actionEnv, os.LookupEnv)
	if err != nil {
		return err
	}
	if f.workDir, err = filepath.Abs(f.workDir); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
	box, err := sandbox.New(f.sandbox, []string{f.workDir})
	if err != nil {
		return err
	}
	// The sandbox's user passes through the work root to its own workspace, lists nothing.
	if err := os.MkdirAll(f.workDir, 0o711); err != nil {
		return err
	}
	if err := os.Chmod(f.workDir, 0o711); err != nil {
		return err
	}
	if err := sandbox.Reachable(box, f.workDir); err != nil {
		return err
	}
	if f.sandbox == sandbox.ModeOff {
		fmt.Fprintln(cmd.ErrOrStderr(), sandbox.OffWarning)
		log.Warn(sandbox.OffWarning)
	}
	server := strings.TrimSuffix(f.server, "/")
	w, err := worker.New(worker.Config{Server: server, Region: f.region, Credentials: creds,
		Name: f.name, Labels: f.labels, Capacity: f.capacity, WorkDir: f.workDir, Sandbox: box, ActionEnv: env,
		ReadyShells: sandbox.ReadyShellsPay(box),
		Providers:   node.WorkerProviders(f.region, s3.S3Client(), worker.NewProjects(server, f.region, creds)),
		Log:         log})
	if err != nil {
		return err
	}
	var types []string
	for _, t := range w.Types() {
		types = append(types, t.String())
	}
	fmt.Fprintf(cmd.OutOrStdout(), "Sluice worker %s taking jobs from %s (from %s; capacity %d, labels %v)\nAction types: %s\n",
		f.name, f.server, source, f.capacity, f.labels, strings.Join(types, ", "))
	warnUnreachable(cmd.Context(), cmd.ErrOrStderr(), server, source)
	// The first signal (cmd's context) stops polling; the second abandons running jobs.
	abandon, stop := afterSignal(cmd.Context())
	defer stop()
	go func() {
		<-cmd.Context().Done()
		fmt.Fprintln(cmd.OutOrStdout(), "Stopping: no new jobs; running jobs finish (signal again to abandon them)")
	}()
	return w.Run(cmd.Context(), abandon)
}

// warnUnreachable says at once when the server cannot be reached: the worker keeps retrying
// (a server restarts), but a wrong URL should not look like an idle queue.
func warnUnreachable(ctx context.Context, w io.Writer, server, source string) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, server+"/healthz", nil)
	if err != nil {
		return
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		if op, ok := dialFails(err); ok {
			fmt.Fprintln(w, unreachable(server, source, op)+" (retrying)")
		}
		return
	}
	resp.Body.Close()
}

// serverAlias keeps --server, the worker's flag before every client command took
// --endpoint-url, working as another name of it.
func serverAlias(_ *pflag.FlagSet, name string) pflag.NormalizedName {
	if name == "server" {
		name = endpointFlag
	}
	return pflag.NormalizedName(name)
}

// afterSignal returns a context that ends on the first SIGINT or SIGTERM after first ended.
func afterSignal(first context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		select {
		case <-first.Done():
		case <-ctx.Done():
			return
		}
		sig, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
		defer stop()
		<-sig.Done()
		cancel()
	}()
	return ctx, cancel
}

func workerCredentials(ctx context.Context, f workerFlags) (aws.CredentialsProvider, error) {
	if f.keyID == "" && f.secret == "" { // read here, not as flag defaults, so --help never shows a secret
		f.keyID, f.secret = os.Getenv("SLUICE_ACCESS_KEY_ID"), os.Getenv("SLUICE_SECRET_ACCESS_KEY")
	}
	if f.keyID != "" || f.secret != "" {
		if f.keyID == "" || f.secret == "" {
			return nil, fmt.Errorf("set both --access-key-id and --secret-access-key, or neither")
		}
		return credentials.NewStaticCredentialsProvider(f.keyID, f.secret, ""), nil
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil || cfg.Credentials == nil {
		return nil, fmt.Errorf("no credentials: set --access-key-id and --secret-access-key (see `sluice credentials`): %v", err)
	}
	return cfg.Credentials, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envList(name string) []string {
	if v := os.Getenv(name); v != "" {
		return strings.Split(v, ",")
	}
	return nil
}
