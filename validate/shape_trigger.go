package validate

import "sluice"

// Model limits for triggers.
const (
	maxGitFilters  = 3
	maxGitPatterns = 8
)

var gitPattern = str{min: 1, max: 255}

func (s *shapeErrs) trigger(path string, t *sluice.PipelineTriggerDeclaration) {
	s.str(path+".providerType", t.ProviderType, str{required: true, enum: []string{"CodeStarSourceConnection"}})
	g := path + ".gitConfiguration"
	s.str(g+".sourceActionName", t.GitConfiguration.SourceActionName, nameShape)
	s.size(g+".push", len(t.GitConfiguration.Push), maxGitFilters)
	for i, f := range t.GitConfiguration.Push {
		fp := member(g+".push", i)
		s.criteria(fp+".tags", f.Tags)
		s.criteria(fp+".branches", f.Branches)
		s.criteria(fp+".filePaths", f.FilePaths)
	}
	s.size(g+".pullRequest", len(t.GitConfiguration.PullRequest), maxGitFilters)
	for i, f := range t.GitConfiguration.PullRequest {
		fp := member(g+".pullRequest", i)
		s.strs(fp+".events", f.Events, 3, str{enum: []string{"OPEN", "UPDATED", "CLOSED"}})
		s.criteria(fp+".branches", f.Branches)
		s.criteria(fp+".filePaths", f.FilePaths)
	}
}

func (s *shapeErrs) criteria(path string, c *sluice.GitFilterCriteria) {
	if c == nil {
		return
	}
	s.strs(path+".includes", c.Includes, maxGitPatterns, gitPattern)
	s.strs(path+".excludes", c.Excludes, maxGitPatterns, gitPattern)
}
