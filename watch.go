package sluice

// WatchKind says what kind of thing a source action watches.
type WatchKind string

const (
	// WatchRepository is a branch of a repository Sluice hosts (CodeCommit): Scope is the
	// repository, Name the branch.
	WatchRepository WatchKind = "Repository"
	// WatchConnection is a repository reached through a connection (CodeStarSourceConnection):
	// Scope is the connection's ARN, Name the full repository id. Not the branch: a V2 trigger
	// may start on others.
	WatchConnection WatchKind = "Connection"
	// WatchObject is an S3 object: Scope is the bucket, Name the key.
	WatchObject WatchKind = "Object"
	// WatchImage is an image tag (ECR): Scope is the repository, Name the tag.
	WatchImage WatchKind = "Image"
)

// Watched is one thing source actions watch.
type Watched struct {
	Kind  WatchKind
	Scope string
	Name  string
}

// SourceWatch is a source action watching something: an entry of the index of watched
// sources, where a change looks its pipelines up instead of reading every pipeline.
type SourceWatch struct {
	Watched
	Pipeline string
	Action   string
}

// Watches lists what the source actions of d watch. It says only where a change must look:
// whether the change starts the pipeline is for its trigger to decide, from the declaration
// (PollForSourceChanges, DetectChanges, V2 triggers).
func Watches(d *PipelineDeclaration) []SourceWatch {
	var out []SourceWatch
	for _, s := range d.Stages {
		for _, a := range s.Actions {
			if w, ok := watched(&a); ok {
				out = append(out, SourceWatch{Watched: w, Pipeline: d.Name, Action: a.Name})
			}
		}
	}
	return out
}

// watched is what a source action watches. The checks are those the triggers make: any
// action of provider CodeCommit, an AWS one of CodeStarSourceConnection, AWS source actions
// of S3 and ECR.
func watched(a *ActionDeclaration) (Watched, bool) {
	id, c := a.ActionTypeID, a.Configuration
	switch {
	case id.Provider == "CodeCommit":
		return Watched{WatchRepository, c["RepositoryName"], c["BranchName"]}, true
	case id.Owner != OwnerAWS:
		return Watched{}, false
	case id.Provider == "CodeStarSourceConnection":
		return Watched{WatchConnection, c["ConnectionArn"], c["FullRepositoryId"]}, true
	case id.Category != CategorySource:
		return Watched{}, false
	case id.Provider == "S3":
		return Watched{WatchObject, c["S3Bucket"], c["S3ObjectKey"]}, true
	case id.Provider == "ECR":
		return Watched{WatchImage, c["RepositoryName"], ImageTag(c["ImageTag"])}, true
	}
	return Watched{}, false
}

// ImageTag is the tag an image source watches: tag, or "latest", the action's default.
func ImageTag(tag string) string {
	if tag == "" {
		return "latest"
	}
	return tag
}
