package filter_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/trigger/filter"
)

func crit(includes []string, excludes ...string) *sluice.GitFilterCriteria {
	return &sluice.GitFilterCriteria{Includes: includes, Excludes: excludes}
}

func inc(patterns ...string) []string { return patterns }

func branchPush(branch string, files ...string) filter.Input {
	return filter.Input{Kind: sluice.GitEventPush, Branch: branch, Files: files, FilesKnown: true}
}

func tagPush(tag string) filter.Input {
	return filter.Input{Kind: sluice.GitEventPush, Tag: tag, FilesKnown: true}
}

func pullRequest(action sluice.PullRequestAction, target string, files ...string) filter.Input {
	return filter.Input{Kind: sluice.GitEventPullRequest, Action: action, TargetBranch: target, Files: files, FilesKnown: files != nil}
}

func pushes(filters ...sluice.GitPushFilter) sluice.GitConfiguration {
	return sluice.GitConfiguration{SourceActionName: "Source", Push: filters}
}

func prs(filters ...sluice.GitPullRequestFilter) sluice.GitConfiguration {
	return sluice.GitConfiguration{SourceActionName: "Source", PullRequest: filters}
}

// numbered returns n file names that match nothing below, then extra.
func numbered(n int, extra ...string) []string {
	files := make([]string, 0, n+len(extra))
	for i := range n {
		files = append(files, fmt.Sprintf("docs/page%03d.txt", i))
	}
	return append(files, extra...)
}

func TestMatch(t *testing.T) {
	t.Parallel()
	mainOnly := pushes(sluice.GitPushFilter{Branches: crit(inc("main"))})
	srcOnMain := pushes(sluice.GitPushFilter{Branches: crit(inc("main")), FilePaths: crit(inc("src/**"))})
	for _, tc := range []struct {
		name   string
		cfg    sluice.GitConfiguration
		in     filter.Input
		want   bool
		reason string // a part of the reason given
	}{
		// Branch criteria.
		{"BranchIncluded", mainOnly, branchPush("main"), true, "push filter 1 matches"},
		{"BranchNotIncluded", mainOnly, branchPush("dev"), false, `branch "dev" matches no include`},
		{"BranchGlob", pushes(sluice.GitPushFilter{Branches: crit(inc("release/*"))}), branchPush("release/1.2"), true, ""},
		{"BranchGlobOneSegment", pushes(sluice.GitPushFilter{Branches: crit(inc("release/*"))}), branchPush("release/1/2"), false, ""},
		{"AbsentIncludesMeanEverything", pushes(sluice.GitPushFilter{Branches: crit(nil, "dev")}), branchPush("main"), true, ""},
		{"AbsentIncludesStillExclude", pushes(sluice.GitPushFilter{Branches: crit(nil, "dev")}), branchPush("dev"), false, `matches exclude "dev"`},
		{"EmptyCriterionMatchesEverything", pushes(sluice.GitPushFilter{Branches: crit(nil)}), branchPush("any/thing"), true, ""},
		{"ExcludeWinsOverInclude", pushes(sluice.GitPushFilter{Branches: crit(inc("release/**"), "release/old/**")}),
			branchPush("release/old/1"), false, `matches exclude "release/old/**"`},
		{"IncludedAndNotExcluded", pushes(sluice.GitPushFilter{Branches: crit(inc("release/**"), "release/old/**")}),
			branchPush("release/2"), true, ""},
		{"AnyIncludeSuffices", pushes(sluice.GitPushFilter{Branches: crit(inc("main", "dev"))}), branchPush("dev"), true, ""},

		// Tags apply to tag pushes only, branches to branch pushes only.
		{"TagIncluded", pushes(sluice.GitPushFilter{Tags: crit(inc("v*"))}), tagPush("v1.0"), true, ""},
		{"TagExcluded", pushes(sluice.GitPushFilter{Tags: crit(inc("v*"), "v*-rc*")}), tagPush("v1.0-rc1"), false, "matches exclude"},
		{"TagNotIncluded", pushes(sluice.GitPushFilter{Tags: crit(inc("v*"))}), tagPush("beta"), false, "matches no include"},
		{"TagFilterIgnoresBranchPush", pushes(sluice.GitPushFilter{Tags: crit(nil)}), branchPush("v1"), false, "tag filter"},
		{"BranchFilterIgnoresTagPush", pushes(sluice.GitPushFilter{Branches: crit(nil)}), tagPush("main"), false, "branch filter"},
		{"NeitherTagsNorBranches", pushes(sluice.GitPushFilter{FilePaths: crit(inc("**"))}), branchPush("main", "a/b"), false,
			"neither tags nor branches"},
		{"NoPushFilters", prs(sluice.GitPullRequestFilter{}), branchPush("main"), false, "no push filters"},

		// Any filter may match.
		{"SecondFilterMatches", pushes(sluice.GitPushFilter{Branches: crit(inc("main"))}, sluice.GitPushFilter{Tags: crit(inc("v*"))}),
			tagPush("v2"), true, "push filter 2 matches"},
		{"NoFilterMatchesGivesEveryReason", pushes(sluice.GitPushFilter{Branches: crit(inc("main"))}, sluice.GitPushFilter{Branches: crit(inc("dev"))}),
			branchPush("qa"), false, "push filter 1: " + `branch "qa" matches no include; push filter 2`},

		// File paths: each file on its own, one qualifying file suffices, the first 100 only.
		{"FileIncluded", srcOnMain, branchPush("main", "docs/a.md", "src/x.go"), true, ""},
		{"NoFileIncluded", srcOnMain, branchPush("main", "docs/a.md"), false, "none of the 1 changed files"},
		{"FilesAndBranchBothNeeded", srcOnMain, branchPush("dev", "src/x.go"), false, "matches no include"},
		{"ExcludedFileDoesNotVetoOthers", pushes(sluice.GitPushFilter{Branches: crit(nil), FilePaths: crit(inc("**"), "**/*.md")}),
			branchPush("main", "a/README.md", "a/b.go"), true, ""},
		{"OnlyExcludedFiles", pushes(sluice.GitPushFilter{Branches: crit(nil), FilePaths: crit(inc("**"), "**/*.md")}),
			branchPush("main", "a/README.md"), false, ""},
		{"FileExcludesOnly", pushes(sluice.GitPushFilter{Branches: crit(nil), FilePaths: crit(nil, "docs/**")}),
			branchPush("main", "docs/x", "main.go"), true, ""},
		{"FileExcludesOnlyAllExcluded", pushes(sluice.GitPushFilter{Branches: crit(nil), FilePaths: crit(nil, "docs/**")}),
			branchPush("main", "docs/x"), false, ""},
		{"HundredthFileCounts", srcOnMain, branchPush("main", numbered(99, "src/x.go")...), true, ""},
		{"HundredAndFirstFileIgnored", srcOnMain, branchPush("main", numbered(100, "src/x.go")...), false, "none of the 100 changed files"},
		{"NoFilesChanged", srcOnMain, branchPush("main"), false, "none of the 0"},
		{"BranchCreationHasNoFiles", srcOnMain, filter.Input{Kind: sluice.GitEventPush, Branch: "main"}, false, "no changed-file list"},
		{"BranchCreationWithoutFilePaths", mainOnly, filter.Input{Kind: sluice.GitEventPush, Branch: "main"}, true, ""},
		{"DeletedRef", mainOnly, filter.Input{Kind: sluice.GitEventPush, Branch: "main", Deleted: true}, false, "deleted branch main"},

		// Pull requests: events, target branch, files.
		{"PROpenIntoMain", prs(sluice.GitPullRequestFilter{Events: []string{"OPEN"}, Branches: crit(inc("main"))}),
			pullRequest(sluice.PullRequestOpen, "main"), true, "pull request filter 1 matches OPEN into main"},
		{"PREventNotListed", prs(sluice.GitPullRequestFilter{Events: []string{"OPEN"}, Branches: crit(inc("main"))}),
			pullRequest(sluice.PullRequestUpdated, "main"), false, "event UPDATED is not one of OPEN"},
		{"PRAbsentEventsMeanAll", prs(sluice.GitPullRequestFilter{Branches: crit(inc("main"))}),
			pullRequest(sluice.PullRequestClosed, "main"), true, ""},
		{"PRTargetBranchDecides", prs(sluice.GitPullRequestFilter{Branches: crit(inc("main"))}),
			pullRequest(sluice.PullRequestOpen, "dev"), false, `branch "dev" matches no include`},
		{"PREmptyFilterMatchesAll", prs(sluice.GitPullRequestFilter{}), pullRequest(sluice.PullRequestUpdated, "any"), true, ""},
		{"PRFilesUnknown", prs(sluice.GitPullRequestFilter{FilePaths: crit(inc("src/**"))}),
			pullRequest(sluice.PullRequestOpen, "main"), false, "no changed-file list"},
		{"PRFilesMatch", prs(sluice.GitPullRequestFilter{FilePaths: crit(inc("src/**"))}),
			pullRequest(sluice.PullRequestOpen, "main", "README.md", "src/a.go"), true, ""},
		{"PRFilesNoMatch", prs(sluice.GitPullRequestFilter{FilePaths: crit(inc("src/**"))}),
			pullRequest(sluice.PullRequestOpen, "main", "README.md"), false, ""},
		{"PRWithoutAction", prs(sluice.GitPullRequestFilter{}), filter.Input{Kind: sluice.GitEventPullRequest, TargetBranch: "main"}, false, "no action"},
		{"PRAgainstPushFilters", mainOnly, pullRequest(sluice.PullRequestOpen, "main"), false, "no pull request filters"},
		{"PROrPush", sluice.GitConfiguration{Push: mainOnly.Push, PullRequest: []sluice.GitPullRequestFilter{{Events: []string{"CLOSED"}}}},
			pullRequest(sluice.PullRequestClosed, "dev"), true, ""},

		// Other events and broken patterns.
		{"Ping", mainOnly, filter.Input{Kind: sluice.GitEventPing}, false, "PING events start nothing"},
		{"Ignored", mainOnly, filter.Input{Kind: sluice.GitEventIgnored}, false, "IGNORED"},
		{"InvalidIncludeStartsNothing", pushes(sluice.GitPushFilter{Branches: crit(inc("[main"))}), branchPush("main"), false, "missing ']'"},
		{"InvalidExcludeStartsNothing", pushes(sluice.GitPushFilter{Branches: crit(inc("main"), "{a")}), branchPush("main"), false, "missing '}'"},
		{"InvalidFilePathStartsNothing", pushes(sluice.GitPushFilter{Branches: crit(nil), FilePaths: crit(inc("src\\"))}),
			branchPush("main", "src/a"), false, "no character to escape"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, reason := filter.Match(tc.cfg, tc.in)
			require.Equal(t, tc.want, got, reason)
			require.Contains(t, reason, tc.reason)
			require.NotEmpty(t, reason)
		})
	}
}

func TestDefaultMatch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   filter.Input
		want bool
	}{
		{"PushToBranch", branchPush("main", "a"), true},
		{"BranchCreated", filter.Input{Kind: sluice.GitEventPush, Branch: "main"}, true},
		{"OtherBranch", branchPush("dev"), false},
		{"BranchIsNotAGlob", branchPush("mai"), false},
		{"TagOfTheSameName", tagPush("main"), false},
		{"Deleted", filter.Input{Kind: sluice.GitEventPush, Branch: "main", Deleted: true}, false},
		{"PullRequestIntoBranch", pullRequest(sluice.PullRequestOpen, "main"), false},
		{"Ping", filter.Input{Kind: sluice.GitEventPing}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, reason := filter.DefaultMatch("main", tc.in)
			require.Equal(t, tc.want, got, reason)
			require.NotEmpty(t, reason)
		})
	}
}

func TestNeedsFiles(t *testing.T) {
	t.Parallel()
	require.False(t, filter.NeedsFiles(pushes(sluice.GitPushFilter{Branches: crit(nil)})))
	require.True(t, filter.NeedsFiles(pushes(sluice.GitPushFilter{Branches: crit(nil), FilePaths: crit(nil)})))
	require.True(t, filter.NeedsFiles(prs(sluice.GitPullRequestFilter{}, sluice.GitPullRequestFilter{FilePaths: crit(inc("a"))})))
	require.False(t, filter.NeedsFiles(sluice.GitConfiguration{}))
}

func TestInputOf(t *testing.T) {
	t.Parallel()
	files := []string{"a.go"}
	for _, tc := range []struct {
		name string
		ev   sluice.GitEvent
		want filter.Input
	}{
		{"Push", sluice.GitEvent{Kind: sluice.GitEventPush, Branch: "main", ChangedFiles: files, FilesListed: true},
			filter.Input{Kind: sluice.GitEventPush, Branch: "main", Files: files, FilesKnown: true}},
		{"BranchCreationHasNoFileList", sluice.GitEvent{Kind: sluice.GitEventPush, Branch: "main", Created: true, ChangedFiles: files, FilesListed: true},
			filter.Input{Kind: sluice.GitEventPush, Branch: "main", Files: files}},
		{"HostWithoutFileLists", sluice.GitEvent{Kind: sluice.GitEventPush, Branch: "main"},
			filter.Input{Kind: sluice.GitEventPush, Branch: "main"}},
		{"TagDeleted", sluice.GitEvent{Kind: sluice.GitEventPush, Tag: "v1", Deleted: true, FilesListed: true},
			filter.Input{Kind: sluice.GitEventPush, Tag: "v1", Deleted: true, FilesKnown: true}},
		{"PullRequest", sluice.GitEvent{Kind: sluice.GitEventPullRequest, Branch: "ignored",
			PullRequest: &sluice.GitPullRequest{Action: sluice.PullRequestClosed, SourceBranch: "feat", TargetBranch: "main"}},
			filter.Input{Kind: sluice.GitEventPullRequest, Action: sluice.PullRequestClosed, TargetBranch: "main"}},
		{"PullRequestWithFetchedFiles", sluice.GitEvent{Kind: sluice.GitEventPullRequest, ChangedFiles: files, FilesListed: true,
			PullRequest: &sluice.GitPullRequest{Action: sluice.PullRequestOpen, TargetBranch: "main"}},
			filter.Input{Kind: sluice.GitEventPullRequest, Action: sluice.PullRequestOpen, TargetBranch: "main", Files: files, FilesKnown: true}},
		{"Ping", sluice.GitEvent{Kind: sluice.GitEventPing}, filter.Input{Kind: sluice.GitEventPing}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, filter.InputOf(&tc.ev))
		})
	}
}
