// Package config holds the server's settings: defaults, overridden by environment variables,
// overridden by flags, validated once.
package config

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server configures `sluice server`.
type Server struct {
	Listen          string // address to serve the API, git and console on
	DataDir         string // SQLite database, artifacts, repositories, logs
	WorkDir         string // action workspaces (removed after each job), outside DataDir; "" = a new directory under os.TempDir()
	Region          string // appears in ARNs
	Account         string // 12-digit account id in ARNs
	Workers         int    // in-process job workers
	AccessKeyID     string // root access key (generated on first start when empty)
	SecretAccessKey string // its secret
	// EncryptionKeyFile holds the key that seals the secrets in the database; default
	// <DataDir>.encryption-key, beside the data directory and not in it. EncryptionKey (env
	// SLUICE_ENCRYPTION_KEY only) holds the same text and wins over the file.
	EncryptionKeyFile string
	EncryptionKey     string
	Lease             time.Duration // how long a worker keeps a job without a heartbeat
	PublicURL         string        // base URL clients use (clone URLs); default http://<listen>
	// LambdaWindow is how long an invoked Lambda function has to report its job's result
	// (SEMANTICS §9.4: 20 minutes); no flag sets it, tests shorten it.
	LambdaWindow time.Duration
	// PollInterval is how often connection sources without webhooks are checked for new
	// commits (each round is jittered by ±10%); 0 turns polling off.
	PollInterval time.Duration

	// Sandbox is how actions' code is isolated: "bwrap" (the default) or "off". ActionEnv
	// adds to every action's environment: NAME=VALUE, or NAME for this process's value of
	// NAME; Validate leaves only NAME=VALUE entries.
	Sandbox   string
	ActionEnv []string

	// ArtifactStore says where artifacts live: "" or "file" for DataDir/artifacts,
	// "s3://bucket/prefix" for a bucket of AWS S3 or any S3-compatible server.
	ArtifactStore string
	S3Endpoint    string // the S3 server's URL; "" lets the AWS SDK choose (AWS_ENDPOINT_URL_S3, else AWS)
	S3Region      string // the bucket's region; "" lets the AWS SDK choose (AWS_REGION, the profile)
	S3PathStyle   *bool  // address buckets as ENDPOINT/BUCKET; nil means true exactly when S3Endpoint is set
	// S3AccessKeyID and S3SecretAccessKey are for embedding Sluice (tests); no flag or
	// variable sets them. Empty, the AWS SDK's chain applies: AWS_ACCESS_KEY_ID and
	// AWS_SECRET_ACCESS_KEY, the profile, instance roles.
	S3AccessKeyID     string
	S3SecretAccessKey string

	// Before authentication (docs/security.md): requests whose sender is not yet verified
	// at once (0: no cap), failed attempts per address within AuthFailureWindow (0: no
	// cap), and how long a request's body may take to arrive.
	MaxUnauthenticated int
	AuthFailures       int
	AuthFailureWindow  time.Duration
	BodyTimeout        time.Duration
	// ConsoleSessionTTL is how long a console sign-in lasts (0: 12 hours).
	ConsoleSessionTTL time.Duration
	// EventRetention is how long events stay readable by the event stream after every
	// outbox consumer has handled them (0: pruned at once).
	EventRetention time.Duration
	// TLSCert and TLSKey, both set, serve HTTPS with that certificate (PEM files).
	TLSCert string
	TLSKey  string

	// Sources outside Sluice (see sources.go): the default registry of image sources, its
	// credentials.
	Registry         string
	RegistryUsername string
	RegistryPassword string

	// AuditRetention is how long audit events are kept (0: for ever); AuditExport, when
	// set, is a file every audit event is appended to as a JSON line (see config/audit.go).
	AuditRetention time.Duration
	AuditExport    string

	// Retain is how much execution history each pipeline keeps (see config/retention.go;
	// zero: everything).
	Retain Retain

	// Database is where state lives: SQLite in DataDir, or PostgreSQL (config/database.go).
	Database Database

	// Outbound deliveries (see config/delivery.go): AllowLocalDestinations lets users name
	// loopback, link-local and private addresses as destinations (off: refused when named
	// and when connecting); SMTPURL is the mail server of email subscriptions
	// (smtp://user:pass@host:port, STARTTLS when offered, or smtps://), SMTPFrom their
	// sender; DeliveryCAFile adds certificate authorities trusted for https and SMTP TLS.
	AllowLocalDestinations bool
	SMTPURL                string
	SMTPFrom               string
	DeliveryCAFile         string

	// ForwardEvents, when set, is the ARN of an Amazon EventBridge bus every event is sent
	// to with PutEvents, signed with the AWS SDK's default credentials;
	// ForwardEventsEndpoint overrides EventBridge's endpoint (see config/eventbridge.go).
	ForwardEvents         string
	ForwardEventsEndpoint string

	// PrometheusURL, when set, is the Prometheus server whose alerts CloudWatchAlarm rules
	// watch (docs/alarms.md); without it those rules fail at once. AlarmInterval is how
	// often a rule asks it during WaitTime (0: 15s) and AlarmMinute WaitTime's unit (0: a
	// minute); no flag sets them, tests shorten them.
	PrometheusURL string
	AlarmInterval time.Duration
	AlarmMinute   time.Duration
}

// MinPollInterval is the shortest polling interval accepted.
const MinPollInterval = 10 * time.Second

// Defaults returns the built-in settings.
func Defaults() Server {
	return Server{Listen: "127.0.0.1:7080", DataDir: "sluice-data", Region: "us-east-1", Account: "000000000000", Sandbox: "bwrap",
		Workers: max(runtime.NumCPU(), 4), Lease: 30 * time.Second, LambdaWindow: 20 * time.Minute, PollInterval: time.Minute,
		MaxUnauthenticated: 64, AuthFailures: 50, AuthFailureWindow: time.Minute, BodyTimeout: time.Minute,
		AuditRetention: DefaultAuditRetention, EventRetention: DefaultEventRetention}
}

// FromEnv applies SLUICE_* environment variables over s.
func (s Server) FromEnv(getenv func(string) string) (Server, error) {
	str := map[string]*string{"SLUICE_LISTEN": &s.Listen, "SLUICE_DATA_DIR": &s.DataDir, "SLUICE_REGION": &s.Region,
		"SLUICE_ACCOUNT_ID": &s.Account, "SLUICE_ACCESS_KEY_ID": &s.AccessKeyID,
		"SLUICE_SECRET_ACCESS_KEY": &s.SecretAccessKey, "SLUICE_PUBLIC_URL": &s.PublicURL, "SLUICE_WORK_DIR": &s.WorkDir,
		"SLUICE_SANDBOX":        &s.Sandbox,
		"SLUICE_ARTIFACT_STORE": &s.ArtifactStore, "SLUICE_TLS_CERT": &s.TLSCert, "SLUICE_TLS_KEY": &s.TLSKey, "SLUICE_S3_ENDPOINT": &s.S3Endpoint, "SLUICE_S3_REGION": &s.S3Region}
	for k, p := range str {
		if v := getenv(k); v != "" {
			*p = v
		}
	}
	if v := getenv("SLUICE_ACTION_ENV"); v != "" {
		s.ActionEnv = strings.Split(v, ",")
	}
	if v := getenv("SLUICE_WORKERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return s, fmt.Errorf("SLUICE_WORKERS=%q is not a number", v)
		}
		s.Workers = n
	}
	if v := getenv("SLUICE_POLL_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return s, fmt.Errorf("SLUICE_POLL_INTERVAL=%q: want a duration such as 60s or 5m", v)
		}
		s.PollInterval = d
	}
	if v := getenv("SLUICE_S3_PATH_STYLE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return s, fmt.Errorf("SLUICE_S3_PATH_STYLE=%q: want true or false", v)
		}
		s.S3PathStyle = &b
	}
	s.encryptionFromEnv(getenv)
	s, err := s.auditFromEnv(getenv)
	if err != nil {
		return s, err
	}
	if s, err = s.consoleFromEnv(getenv); err != nil {
		return s, err
	}
	if s, err = s.deliveryFromEnv(getenv); err != nil {
		return s, err
	}
	if s, err = s.eventsFromEnv(getenv); err != nil {
		return s, err
	}
	if s, err = s.retainFromEnv(getenv); err != nil {
		return s, err
	}
	if s, err = s.databaseFromEnv(getenv); err != nil {
		return s, err
	}
	s = s.eventBridgeFromEnv(getenv)
	s = s.alarmsFromEnv(getenv)
	return s.sourcesFromEnv(getenv)
}

var (
	accountPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]{12}$`) })
	regionPattern  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9-]{4,30}$`) })
)

// Validate checks s and fills derived values; its errors name the setting to fix.
func (s *Server) Validate() error {
	if _, _, err := net.SplitHostPort(s.Listen); err != nil {
		return fmt.Errorf("--listen %q: want host:port (for example 127.0.0.1:7080)", s.Listen)
	}
	switch {
	case s.DataDir == "":
		return fmt.Errorf("--data-dir must name a directory")
	case !accountPattern().MatchString(s.Account):
		return fmt.Errorf("--account-id %q: want 12 digits", s.Account)
	case !regionPattern().MatchString(s.Region):
		return fmt.Errorf("--region %q: want a region name such as us-east-1", s.Region)
	case s.Workers < 0:
		return fmt.Errorf("--workers %d: want 0 (jobs run only on `sluice worker` processes) or more", s.Workers)
	case (s.AccessKeyID == "") != (s.SecretAccessKey == ""):
		return fmt.Errorf("set both SLUICE_ACCESS_KEY_ID and SLUICE_SECRET_ACCESS_KEY, or neither")
	case s.Lease < 3*time.Second:
		return fmt.Errorf("lease %s is too short: want at least 3s", s.Lease)
	case s.LambdaWindow <= 0:
		return fmt.Errorf("the Lambda result window %s must be positive", s.LambdaWindow)
	case s.MaxUnauthenticated < 0 || s.AuthFailures < 0:
		return fmt.Errorf("--max-unauthenticated and --auth-failures: want 0 (no limit) or more")
	case s.AuthFailures > 0 && s.AuthFailureWindow <= 0:
		return fmt.Errorf("--auth-failure-window %s: want a positive duration such as 1m", s.AuthFailureWindow)
	case s.BodyTimeout < time.Second:
		return fmt.Errorf("--body-timeout %s: want at least 1s", s.BodyTimeout)
	case (s.TLSCert == "") != (s.TLSKey == ""):
		return fmt.Errorf("set both --tls-cert and --tls-key, or neither")
	case s.PollInterval != 0 && s.PollInterval < MinPollInterval:
		return fmt.Errorf("--poll-interval %s: want 0 (no polling) or at least %s, so git hosts are not hammered", s.PollInterval, MinPollInterval)
	}
	if err := s.validateArtifactStore(); err != nil {
		return err
	}
	if err := s.validateSources(); err != nil {
		return err
	}
	if err := s.validateConsole(); err != nil {
		return err
	}
	if err := s.validateAudit(); err != nil {
		return err
	}
	if err := s.validateDelivery(); err != nil {
		return err
	}
	if err := s.validateEventBridge(); err != nil {
		return err
	}
	if err := s.validateAlarms(); err != nil {
		return err
	}
	abs, err := filepath.Abs(s.DataDir)
	if err != nil {
		return fmt.Errorf("--data-dir %q: %w", s.DataDir, err)
	}
	s.DataDir = abs
	if s.WorkDir, err = CheckWorkDir(s.WorkDir, abs); err != nil {
		return err
	}
	if err := s.validateDatabase(); err != nil {
		return err
	}
	if err := s.validateEncryption(); err != nil {
		return err
	}
	if s.ActionEnv, err = ActionEnv(s.ActionEnv, os.LookupEnv); err != nil {
		return err
	}
	if s.Sandbox == "" {
		s.Sandbox = "bwrap"
	}
	if s.Sandbox != "bwrap" && s.Sandbox != "off" {
		return fmt.Errorf("--sandbox %q: want bwrap or off", s.Sandbox)
	}
	return os.MkdirAll(abs, 0o700)
}
