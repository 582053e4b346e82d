package catalog

import "sluice"

// hostDeploys are the V2-only deploys to hosts, clusters and functions that the user guide's
// action structure reference lists beside §11's: EC2, EKS and the Lambda deploy. Their keys
// come from the user guide's references (action-reference-EC2Deploy, -EKS, -LambdaDeploy);
// AWS adds keys to these young actions, so they stay lenient.
func hostDeploys() []entry {
	return []entry{
		aws(sluice.CategoryDeploy, "EC2", one, none,
			req("InstanceTagKey", "Tag key of the instances to deploy to."),
			opt("InstanceTagValue", "Tag value of the instances (default: every instance with the key)."),
			req("InstanceType", "EC2 or SSM_MANAGED_NODE."),
			opt("TargetDirectory", "Directory on the instances where the scripts run (required with scripts)."),
			opt("DeploySpec", "Deploy spec file in the input artifact (instead of the scripts)."),
			opt("PreScript", "Script run before the deployment, relative to the input artifact."),
			opt("PostScript", "Script run after the deployment, relative to the input artifact."),
			opt("MaxBatch", "Instances deployed at once: a count or a percentage."),
			opt("MaxError", "Instance failures tolerated: a count or a percentage."),
			opt("TargetGroupNameList", "Comma-separated load balancer target groups to deregister from during the deployment.")).
			onlyV2().unresearched(),
		aws(sluice.CategoryDeploy, "EKS", one, none,
			req("ClusterName", "EKS cluster to deploy to."),
			opt("ManifestFiles", "Kubernetes manifest files in the input artifact (kubectl)."),
			opt("HelmReleaseName", "Helm release name (Helm)."),
			opt("HelmChartLocation", "Helm chart in the input artifact (Helm)."),
			opt("HelmValuesFiles", "Comma-separated Helm values files (Helm)."),
			opt("Namespace", "Kubernetes namespace."),
			opt("SubnetIds", "Subnets of a private cluster's VPC."),
			opt("SecurityGroupIds", "Security groups of a private cluster's VPC.")).
			onlyV2().unresearched(),
		aws(sluice.CategoryDeploy, "Lambda", upToOne, none,
			req("FunctionName", "Lambda function to deploy."),
			opt("FunctionAlias", "Alias to shift to the new version (default: deploy to $LATEST and publish a version)."),
			opt("PublishedTargetVersion", "Published version to deploy (required without an input artifact)."),
			opt("DeployStrategy", "AllAtOnce (default), CanaryNPercentMMinutes or LinearNPercentEveryMMinutes."),
			opt("Alarms", "Comma-separated CloudWatch alarms that roll the deployment back.")).
			onlyV2().unresearched(),
	}
}

// stackSets are the two CloudFormation StackSets deploys (action-reference-StackSets): the
// stack set from a template and parameters in up to three inputs, then its instances.
func stackSets() []entry {
	stackSet := req("StackSetName", "Stack set to create or update.")
	shared := []sluice.ActionConfigurationProperty{
		opt("DeploymentTargets", "Accounts or organizational unit ids, a list or Artifact::path."),
		opt("Regions", "Comma-separated regions, deployed in order."),
		opt("FailureTolerancePercentage", "Accounts per region that may fail before the operation stops, in percent."),
		opt("MaxConcurrentPercentage", "Accounts acted on at once, in percent."),
	}
	set := append([]sluice.ActionConfigurationProperty{stackSet,
		opt("Description", "Description of the stack set."),
		req("TemplatePath", "Template as Artifact::path."),
		opt("Parameters", "Template parameters, shorthand list or Artifact::path."),
		opt("Capabilities", "Comma list of CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND."),
		opt("PermissionModel", "SELF_MANAGED (default) or SERVICE_MANAGED."),
		opt("AdministrationRoleArn", "Administration role (self-managed)."),
		opt("ExecutionRoleName", "Execution role name in the target accounts (self-managed)."),
		opt("OrganizationsAutoDeployment", "Enabled, Disabled or EnabledWithStackRetention (service-managed).")}, shared...)
	instances := append([]sluice.ActionConfigurationProperty{stackSet,
		opt("ParameterOverrides", "Parameters overridden in these instances, shorthand list or Artifact::path.")}, shared...)
	return []entry{
		aws(sluice.CategoryDeploy, "CloudFormationStackSet", bounds{1, 3}, none, set...).unresearched(),
		aws(sluice.CategoryDeploy, "CloudFormationStackInstances", bounds{0, 3}, none, instances...).unresearched(),
	}
}
