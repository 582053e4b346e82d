package catalog

import "sluice"

// deploys are the built-in Deploy types.
func deploys() []entry {
	deploy := func(provider string, in, out bounds, props ...sluice.ActionConfigurationProperty) entry {
		return aws(sluice.CategoryDeploy, provider, in, out, props...)
	}
	all := []entry{
		deploy("S3", one, none,
			req("BucketName", "Bucket to deploy to."),
			req("Extract", "true to unzip the artifact, false to upload it as one object."),
			opt("ObjectKey", "Object key (required when Extract is false)."),
			opt("KMSEncryptionKeyARN", "KMS key for the uploaded objects."),
			opt("CannedACL", "Canned ACL for the uploaded objects."),
			opt("CacheControl", "Cache-Control header for the uploaded objects."),
			workerLabel()),
		deploy("CodeDeploy", one, none,
			req("ApplicationName", "CodeDeploy application."),
			req("DeploymentGroupName", "CodeDeploy deployment group.")),
		// §11 lists these two keys by name only; the full key set was not researched.
		deploy("ElasticBeanstalk", one, none,
			opt("ApplicationName", "Elastic Beanstalk application."),
			opt("EnvironmentName", "Elastic Beanstalk environment.")).unresearched(),
		deploy("OpsWorks", one, none).unresearched(),
		deploy("ECS", one, none,
			req("ClusterName", "ECS cluster."),
			req("ServiceName", "ECS service."),
			opt("FileName", "Image definitions file (default imagedefinitions.json)."),
			opt("DeploymentTimeout", "Minutes to wait for the deployment, at most 60.")),
		codeDeployToECS(),
		deploy("ServiceCatalog", one, none).unresearched(),
		cloudFormation(),
		// §11 lists these keys by name only; the full key set was not researched.
		deploy("AppConfig", unknownBounds, unknownBounds,
			opt("Application", "AppConfig application."),
			opt("Environment", "AppConfig environment."),
			opt("ConfigurationProfile", "AppConfig configuration profile."),
			opt("InputArtifactConfigurationPath", "Path of the configuration inside the input artifact."),
			opt("DeploymentStrategy", "AppConfig deployment strategy.")).unresearched(),
		// §3.2 gives 1-2 inputs, cfn-lint 0-2: take the wider range.
		newEntry(sluice.CategoryDeploy, sluice.OwnerThirdParty, "AlexaSkillsKit", bounds{0, 2}, none).unresearched(),
	}
	all = append(all, stackSets()...)
	return append(all, hostDeploys()...)
}

// codeDeployToECS is the ECS blue/green deploy. Besides the keys below it takes image
// placeholder keys (Image1ArtifactName, Image1ContainerName, ...) that §11 does not list,
// so it is not strict.
func codeDeployToECS() entry {
	return aws(sluice.CategoryDeploy, "CodeDeployToECS", unknownBounds, none,
		req("ApplicationName", "CodeDeploy application."),
		req("DeploymentGroupName", "CodeDeploy deployment group."),
		opt("TaskDefinitionTemplateArtifact", "Input artifact holding the task definition template."),
		opt("TaskDefinitionTemplatePath", "Path of the task definition template."),
		opt("AppSpecTemplateArtifact", "Input artifact holding the AppSpec template."),
		opt("AppSpecTemplatePath", "Path of the AppSpec template.")).unresearched()
}

func cloudFormation() entry {
	return aws(sluice.CategoryDeploy, "CloudFormation", upToTen, upToOne,
		req("ActionMode", "CREATE_UPDATE, DELETE_ONLY, REPLACE_ON_FAILURE, CHANGE_SET_REPLACE or CHANGE_SET_EXECUTE."),
		req("StackName", "Stack to act on."),
		opt("Capabilities", "Comma list of CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND."),
		opt("ChangeSetName", "Change set (required for change-set modes)."),
		opt("RoleArn", "Role CloudFormation assumes."),
		opt("TemplatePath", "Template as Artifact::path."),
		opt("TemplateConfiguration", "Template configuration as Artifact::path."),
		opt("OutputFileName", "File in the output artifact that receives the stack outputs."),
		opt("ParameterOverrides", "JSON object of parameter values, at most 1 KB."))
}
