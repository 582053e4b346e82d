package policy

// Managed is a managed policy Sluice ships: AWS's, under arn:aws:iam::aws:policy/, read-only
// and attachable like any other. Only the statements about services Sluice serves are kept
// (AWS's documents also grant S3, CloudFormation, EC2 ... reads that mean nothing here).
type Managed struct {
	Name, Path, ID, Description string
	VersionID                   string // AWS's version of the document
	Document                    string
}

// ManagedAccount is the account field of AWS managed policies' ARNs.
const ManagedAccount = "aws"

// WorkerPolicy is the name of Sluice's own managed policy for remote `sluice worker`
// processes (path /sluice/): the worker protocol and nothing else.
const WorkerPolicy = "SluiceWorkerAccess"

// WorkerLabelsKey is the context key PollForWorkerJobs carries: the labels a worker polls
// with (multivalued). A worker key bound to labels has a Deny on other labels.
const WorkerLabelsKey = "sluice:WorkerLabels"

// BuiltIn lists the managed policies every server has, in the order ListPolicies shows them.
func BuiltIn() []Managed {
	return []Managed{
		{Name: "AWSCodePipeline_FullAccess", Path: "/", ID: "ANPAQFULLACCESSCP0001", VersionID: "v3",
			Description: "Provides full access to AWS CodePipeline via the AWS Management Console.",
			Document: doc(stmt("", `"codepipeline:*"`, `"*"`),
				stmt("CodeCommitListReposPolicy", `["codecommit:ListBranches","codecommit:GetReferences","codecommit:ListRepositories"]`, `"*"`),
				stmt("CodeBuildReadOnlyPolicy", `["codebuild:BatchGetProjects","codebuild:CreateProject","codebuild:ListCuratedEnvironmentImages","codebuild:ListProjects"]`, `"*"`),
				stmt("CloudTrailReadOnlyPolicy", `["cloudtrail:DescribeTrails"]`, `"*"`))},
		{Name: "AWSCodePipeline_ReadOnlyAccess", Path: "/", ID: "ANPAQREADONLYCP000001", VersionID: "v1",
			Description: "Provides read only access to AWS CodePipeline via the AWS Management Console.",
			Document: doc(stmt("", `["codepipeline:GetPipeline","codepipeline:GetPipelineState","codepipeline:GetPipelineExecution",`+
				`"codepipeline:ListPipelineExecutions","codepipeline:ListActionExecutions","codepipeline:ListActionTypes",`+
				`"codepipeline:ListPipelines","codepipeline:ListTagsForResource"]`, `"*"`))},
		{Name: "AWSCodePipelineApproverAccess", Path: "/", ID: "ANPAQAPPROVERCP000001", VersionID: "v3",
			Description: "Provides access for an IAM user to approve or reject a manual approval action in AWS CodePipeline.",
			Document: doc(stmt("", `["codepipeline:GetPipeline","codepipeline:GetPipelineState","codepipeline:GetPipelineExecution",`+
				`"codepipeline:ListPipelineExecutions","codepipeline:ListPipelines","codepipeline:PutApprovalResult"]`, `"*"`))},
		{Name: "AWSCodePipelineCustomActionAccess", Path: "/", ID: "ANPAQCUSTOMACTIONCP01", VersionID: "v1",
			Description: "Provides access for custom actions to poll for jobs details (including temporary credentials) and report status updates to AWS CodePipeline.",
			Document: doc(stmt("", `["codepipeline:AcknowledgeJob","codepipeline:GetJobDetails","codepipeline:PollForJobs",`+
				`"codepipeline:PutJobFailureResult","codepipeline:PutJobSuccessResult"]`, `"*"`))},
		{Name: "AdministratorAccess", Path: "/", ID: "ANPAIWMBCKSKIEE64ZLYK", VersionID: "v1",
			Description: "Provides full access to AWS services and resources.",
			Document:    doc(stmt("", `"*"`, `"*"`))},
		{Name: "ReadOnlyAccess", Path: "/", ID: "ANPAILL3HVNFSB6DCOWYQ", VersionID: "v188",
			Description: "Provides read-only access to AWS services and resources (the part about the services Sluice serves).",
			Document: doc(stmt("", `["codepipeline:Get*","codepipeline:List*","codecommit:BatchGet*","codecommit:Get*","codecommit:GitPull",`+
				`"codecommit:List*","codebuild:BatchGet*","codebuild:List*","codestar-connections:Get*","codestar-connections:List*",`+
				`"iam:Get*","iam:List*","iam:Generate*","iam:Simulate*","ssm:Get*","ssm:Describe*","ssm:List*",`+
				`"secretsmanager:Describe*","secretsmanager:List*","secretsmanager:GetResourcePolicy","cloudtrail:LookupEvents",`+
				`"cloudtrail:Describe*","cloudtrail:Get*","cloudtrail:List*","sts:GetCallerIdentity","sluice:Get*","sluice:List*"]`, `"*"`))},
		{Name: "IAMFullAccess", Path: "/", ID: "ANPAI7XKCFMBPM3QQRRVQ", VersionID: "v2",
			Description: "Provides full access to IAM via the AWS Management Console.",
			Document:    doc(stmt("", `"iam:*"`, `"*"`))},
		{Name: "IAMReadOnlyAccess", Path: "/", ID: "ANPAJKSO7NDY4T57MWDSQ", VersionID: "v4",
			Description: "Provides read only access to IAM via the AWS Management Console.",
			Document: doc(stmt("", `["iam:GenerateCredentialReport","iam:GenerateServiceLastAccessedDetails","iam:Get*","iam:List*",`+
				`"iam:SimulateCustomPolicy","iam:SimulatePrincipalPolicy"]`, `"*"`))},
		{Name: WorkerPolicy, Path: "/sluice/", ID: "ANPAQSLUICEWORKER0001", VersionID: "v1",
			Description: "Sluice: what a remote `sluice worker` calls (the job protocol, its action logs, the CodeBuild projects its jobs name) and nothing else.",
			Document: doc(stmt("SluiceWorkerProtocol", `["sluice:PollForWorkerJobs","sluice:PutActionLog","sluice:ResolveJobSecrets","codepipeline:PollForJobs",`+
				`"codepipeline:AcknowledgeJob","codepipeline:GetJobDetails","codepipeline:PutJobSuccessResult",`+
				`"codepipeline:PutJobFailureResult","codebuild:BatchGetProjects"]`, `"*"`))},
	}
}

func doc(statements ...string) string {
	out := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": ["
	for i, s := range statements {
		if i > 0 {
			out += ","
		}
		out += "\n" + s
	}
	return out + "\n  ]\n}"
}

func stmt(sid, actions, resources string) string {
	s := "    {\n"
	if sid != "" {
		s += "      \"Sid\": \"" + sid + "\",\n"
	}
	return s + "      \"Effect\": \"Allow\",\n      \"Action\": " + actions + ",\n      \"Resource\": " + resources + "\n    }"
}
