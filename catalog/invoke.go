package catalog

import "sluice"

// invokes are the built-in Invoke and Approval types.
func invokes() []entry {
	return []entry{
		aws(sluice.CategoryInvoke, "Lambda", upToFive, upToFive,
			req("FunctionName", "Lambda function to invoke."),
			opt("UserParameters", "String passed to the function in the job data.")),
		// §3.2 gives no counts for Step Functions.
		aws(sluice.CategoryInvoke, "StepFunctions", unknownBounds, unknownBounds,
			req("StateMachineArn", "State machine to start."),
			opt("ExecutionNamePrefix", "Prefix of the execution name."),
			opt("InputType", "Literal or FilePath."),
			opt("Input", "The input, or the path of the input file.")),
		aws(sluice.CategoryInvoke, "CodePipeline", none, none,
			req("PipelineName", "Pipeline to start."),
			opt("SourceRevisions", "JSON list of source revision overrides."),
			opt("Variables", `JSON list of {"name","value"} pipeline variables.`)).onlyV2(),
		// Amazon Inspector scans (action-reference-InspectorScan): of the source in the input
		// artifact, or of an ECR image (no input); the report may be an output.
		aws(sluice.CategoryInvoke, "InspectorScan", upToOne, upToOne,
			req("InspectorRunMode", "SourceCodeScan or ECRImageScan."),
			opt("ECRRepositoryName", "ECR repository of the image (ECRImageScan)."),
			opt("ImageTag", "Tag of the image (ECRImageScan)."),
			opt("CriticalThreshold", "Critical vulnerabilities beyond which the action fails."),
			opt("HighThreshold", "High vulnerabilities beyond which the action fails."),
			opt("MediumThreshold", "Medium vulnerabilities beyond which the action fails."),
			opt("LowThreshold", "Low vulnerabilities beyond which the action fails.")).unresearched(),
		aws(sluice.CategoryApproval, "Manual", none, none,
			opt("NotificationArn", "SNS topic notified when approval is pending."),
			opt("CustomData", "Text shown to the approver."),
			opt("ExternalEntityLink", "URL shown to the approver.")),
	}
}
