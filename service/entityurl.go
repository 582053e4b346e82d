package service

import "strings"

// awsEntityURLs are the entityUrl of built-in types whose resources live in AWS rather than in
// Sluice, as AWS's GetPipelineState writes them (the AWS CLI's get-pipeline-state example:
// api/testdata/awscli); {Name} stands for the configuration property Name. Types Sluice hosts
// (CodeCommit repositories, CodeBuild projects) and those whose link is not documented have
// none.
var awsEntityURLs = map[string]string{
	"S3":         "https://console.aws.amazon.com/s3/home?#",
	"CodeDeploy": "https://console.aws.amazon.com/codedeploy/home?#/applications/{ApplicationName}/deployment-groups/{DeploymentGroupName}",
}

// awsEntityURL fills provider's link with config; "" for providers without one.
func awsEntityURL(provider string, config map[string]string) string {
	tmpl, ok := awsEntityURLs[provider]
	if !ok {
		return ""
	}
	for k, v := range config {
		tmpl = strings.ReplaceAll(tmpl, "{"+k+"}", v)
	}
	return tmpl
}
