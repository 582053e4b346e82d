package catalog

import "sluice"

// sources are the built-in Source types: no inputs, one output (§3.2).
func sources() []entry {
	src := func(owner, provider string, props ...sluice.ActionConfigurationProperty) entry {
		return newEntry(sluice.CategorySource, owner, provider, none, one, props...)
	}
	poll := opt("PollForSourceChanges", "Poll the source for changes (default true).")
	format := opt("OutputArtifactFormat", "CODE_ZIP (default) or CODEBUILD_CLONE_REF.")
	return []entry{
		src(sluice.OwnerAWS, "S3",
			req("S3Bucket", "Versioned bucket that holds the source object."),
			req("S3ObjectKey", "Key of the source object."),
			poll,
			opt("AllowOverrideForS3ObjectKey", "Allow StartPipelineExecution to override the object key (default false).")),
		src(sluice.OwnerAWS, "CodeCommit",
			req("RepositoryName", "Repository to fetch."),
			req("BranchName", "Branch to fetch."),
			poll, format),
		src(sluice.OwnerAWS, "ECR",
			req("RepositoryName", "Image repository."),
			opt("ImageTag", "Image tag to watch (default latest).")),
		src(sluice.OwnerAWS, "CodeStarSourceConnection",
			req("ConnectionArn", "Connection to the Git provider."),
			req("FullRepositoryId", "owner/repo, case-sensitive."),
			req("BranchName", "Branch to fetch."),
			format,
			opt("DetectChanges", "Start the pipeline on pushes to the branch (default true).")),
		src(sluice.OwnerThirdParty, "GitHub",
			req("Owner", "GitHub user or organization."),
			req("Repo", "Repository name."),
			req("Branch", "Branch to fetch."),
			secret("OAuthToken", "GitHub OAuth token; returned masked as ****."),
			poll),
	}
}
