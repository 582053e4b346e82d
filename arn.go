package sluice

import "strings"

// An ARN names a resource: arn:<partition>:<service>:<region>:<account>:<resource>. Sluice
// mints the ARNs AWS would give its resources, in the partition "aws" and the region and
// account a server is configured with, so that tools reading them find what they expect.
type ARN struct {
	Partition string
	Service   string
	Region    string
	Account   string
	Resource  string // everything after the account: "<type>/<id>", "<type>:<id>" or "<id>"
}

// String is the ARN in its usual form.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// ParseARN splits an ARN into its parts (EInvalid/Arn when s has fewer than six
// colon-separated parts, does not start with "arn:" or names no partition or service). The
// resource part may itself hold colons.
func ParseARN(s string) (ARN, error) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" {
		return ARN{}, Errorf(EInvalid, "Arn", "%q is not an ARN (arn:partition:service:region:account:resource).", s)
	}
	return ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}, nil
}

// An ARNKind is one kind of resource Sluice names: the service of its ARNs, and the resource
// type and separator in front of its id (none for pipelines and repositories, whose resource
// part is their name alone). Each kind Sluice mints is a variable below; a new one (users,
// topics, rules) is one more line of the same pattern, for example
//
//	UserARN  = ARNKind{Service: "iam", Type: "user", Sep: "/", Global: true} // arn:aws:iam::<account>:user/<name>
//	TopicARN = ARNKind{Service: "sns"}                                      // arn:aws:sns:<region>:<account>:<name>
//	RuleARN  = ARNKind{Service: "events", Type: "rule", Sep: "/"}           // arn:aws:events:<region>:<account>:rule/<name>
type ARNKind struct {
	Service string
	Type    string
	Sep     string // ":" or "/" between Type and the id; "" when there is no Type
	Global  bool   // the service has no regions (IAM): the region part stays empty
	Shared  bool   // names belong to no account either (S3 buckets): region and account stay empty
}

// The kinds of ARN Sluice mints.
var (
	PipelineARN   = ARNKind{Service: "codepipeline"}                                       // <name>
	ActionTypeARN = ARNKind{Service: "codepipeline", Type: "actiontype", Sep: ":"}         // <owner>/<category>/<provider>/<version>
	WebhookARN    = ARNKind{Service: "codepipeline", Type: "webhook", Sep: ":"}            // <name>
	RepositoryARN = ARNKind{Service: "codecommit"}                                         // <name>
	ConnectionARN = ARNKind{Service: "codestar-connections", Type: "connection", Sep: "/"} // <uuid>
	HostARN       = ARNKind{Service: "codestar-connections", Type: "host", Sep: "/"}       // <name>-<8 hex digits>
	ProjectARN    = ARNKind{Service: "codebuild", Type: "project", Sep: "/"}               // <name>
	BuildARN      = ARNKind{Service: "codebuild", Type: "build", Sep: "/"}                 // <project>:<id>
	// FunctionARN names a registered function as Lambda names the function an
	// Invoke/AWS/Lambda action calls.
	FunctionARN = ARNKind{Service: "lambda", Type: "function", Sep: ":"} // <name>
	// IAM's users, groups and customer managed policies; the id is "<path without its
	// leading slash><name>" ("dev/alice" for path /dev/).
	UserARN   = ARNKind{Service: "iam", Type: "user", Sep: "/", Global: true}
	GroupARN  = ARNKind{Service: "iam", Type: "group", Sep: "/", Global: true}
	PolicyARN = ARNKind{Service: "iam", Type: "policy", Sep: "/", Global: true}
	// RootARN, with id "root", is the account's root user: the principal of the root key.
	RootARN = ARNKind{Service: "iam", Global: true} // root
	// Events and notifications: SNS topics (subscriptions are <topic>:<uuid>), EventBridge
	// rules, CodeStar notification rules (<40 hex digits>) and chat channels, which AWS
	// Chatbot names without a region (<slack-channel|microsoft-teams-channel>/<name>).
	TopicARN            = ARNKind{Service: "sns"}                                                        // <name>
	EventRuleARN        = ARNKind{Service: "events", Type: "rule", Sep: "/"}                             // <name>
	NotificationRuleARN = ARNKind{Service: "codestar-notifications", Type: "notificationrule", Sep: "/"} // <id>
	ChatChannelARN      = ARNKind{Service: "chatbot", Type: "chat-configuration", Sep: "/", Global: true}
	EventBusARN         = ARNKind{Service: "events", Type: "event-bus", Sep: "/"} // default (the only bus)
	// S3ObjectARN names an object a source action watches (in trigger details).
	S3ObjectARN = ARNKind{Service: "s3", Global: true, Shared: true} // <bucket>/<key>
)

// ARNPartition is the partition of every ARN Sluice mints.
const ARNPartition = "aws"

// ARNScope is where a server mints ARNs: its region and account.
type ARNScope struct {
	Region  string
	Account string
}

// ARN is the ARN of the resource of kind k with the given id in this scope.
func (s ARNScope) ARN(k ARNKind, id string) string {
	return s.of(k, id).String()
}

func (s ARNScope) of(k ARNKind, id string) ARN {
	a := ARN{Partition: ARNPartition, Service: k.Service, Region: s.Region, Account: s.Account, Resource: k.Type + k.Sep + id}
	if k.Global || k.Shared {
		a.Region = ""
	}
	if k.Shared {
		a.Account = ""
	}
	return a
}

// ID returns the id in arn when arn names a resource of kind k in this scope (false
// otherwise). The id may be empty, or hold separators: callers check its shape.
func (s ARNScope) ID(k ARNKind, arn string) (string, bool) {
	return strings.CutPrefix(arn, s.ARN(k, ""))
}

// ID returns the id of a parsed ARN of kind k, in whatever scope (false when a is of another
// service or resource type; for a kind without a type, when the resource part holds a
// separator, as a webhook's "webhook:<name>" beside the pipelines does).
func (k ARNKind) ID(a ARN) (string, bool) {
	if a.Service != k.Service {
		return "", false
	}
	if k.Type == "" && !k.Shared {
		return a.Resource, !strings.ContainsAny(a.Resource, ":/")
	}
	return strings.CutPrefix(a.Resource, k.Type+k.Sep)
}

// ActionTypeResource is the id part of a custom action type's ARN.
func ActionTypeResource(id ActionTypeID) string {
	return id.Owner + "/" + id.Category + "/" + id.Provider + "/" + id.Version
}
