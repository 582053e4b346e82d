package catalog

import "sluice"

// builds are the built-in Build, Test and Compute types.
func builds() []entry {
	codeBuild := func(category string) entry {
		return aws(category, "CodeBuild", bounds{1, 5}, upToFive,
			req("ProjectName", "CodeBuild project to run."),
			opt("PrimarySource", "Input artifact whose directory holds the buildspec (required with more than one input)."),
			opt("EnvironmentVariables", `JSON list of {"name","value","type"} overriding project variables.`),
			opt("BatchEnabled", "Run a batch build."),
			opt("CombineArtifacts", "Combine batch build artifacts into one."),
			// A Sluice extension: CodeBuild keeps the buildspec override on the project.
			opt("BuildSpec", "Sluice: the buildspec (inline YAML) or its path in the primary source, instead of buildspec.yml."),
			workerLabel())
	}
	return []entry{
		codeBuild(sluice.CategoryBuild),
		codeBuild(sluice.CategoryTest),
		aws(sluice.CategoryBuild, "ECRBuildAndPublish", one, none,
			req("ECRRepositoryName", "Repository to push the image to."),
			opt("DockerFilePath", "Directory of the Dockerfile."),
			opt("ImageTags", "Comma-separated tags (default latest)."),
			opt("RegistryType", "private or public.")).onlyV2(),
		aws(sluice.CategoryCompute, "Commands", bounds{1, 10}, upToOne,
			opt("EnvironmentType", "LINUX_CONTAINER or WINDOWS_SERVER_2022_CONTAINER."),
			opt("ComputeType", "BUILD_GENERAL1_SMALL, MEDIUM or LARGE."),
			opt("VpcId", "VPC to run in."),
			opt("Subnets", "Subnets to run in."),
			opt("SecurityGroupIds", "Security groups to run with."),
			workerLabel()).onlyV2(),
		aws(sluice.CategoryTest, "DeviceFarm", one, none).unresearched(),
	}
}

// workerLabel is the Sluice key that pins an action to `sluice worker` processes started
// with that label, on the types that run on workers.
func workerLabel() sluice.ActionConfigurationProperty {
	return opt(sluice.WorkerLabelKey, "Sluice: run only on `sluice worker` processes started with --labels including this label.")
}
