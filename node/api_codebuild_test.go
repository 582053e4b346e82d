package node_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codebuild"
	cbtypes "github.com/aws/aws-sdk-go-v2/service/codebuild/types"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// codebuildClient is the official CodeBuild client, signed with the server's root key.
func codebuildClient(b *bundle) *codebuild.Client {
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(testKeyID, testSecret, "")}
	return codebuild.NewFromConfig(cfg, func(o *codebuild.Options) { o.BaseEndpoint = aws.String(b.URL) })
}

// projectInput is a valid CreateProject input; edit changes it.
func projectInput(name string, edit func(in *codebuild.CreateProjectInput)) *codebuild.CreateProjectInput {
	in := &codebuild.CreateProjectInput{
		Name:        aws.String(name),
		Description: aws.String("builds " + name),
		Source:      &cbtypes.ProjectSource{Type: cbtypes.SourceTypeCodepipeline, Buildspec: aws.String("ci/build.yml")},
		SecondarySources: []cbtypes.ProjectSource{{Type: cbtypes.SourceTypeS3, Location: aws.String("bucket/docs.zip"),
			SourceIdentifier: aws.String("docs")}},
		Artifacts: &cbtypes.ProjectArtifacts{Type: cbtypes.ArtifactsTypeCodepipeline},
		Environment: &cbtypes.ProjectEnvironment{Type: cbtypes.EnvironmentTypeLinuxContainer, Image: aws.String("aws/codebuild/standard:7.0"),
			ComputeType: cbtypes.ComputeTypeBuildGeneral1Small, EnvironmentVariables: []cbtypes.EnvironmentVariable{
				{Name: aws.String("STAGE"), Value: aws.String("test"), Type: cbtypes.EnvironmentVariableTypePlaintext}}},
		ServiceRole: aws.String("arn:aws:iam::000000000000:role/codebuild"),
		Tags:        []cbtypes.Tag{{Key: aws.String("team"), Value: aws.String("ci")}},
	}
	if edit != nil {
		edit(in)
	}
	return in
}

// projectNames lists the projects ListProjects returns in one order, following nextToken.
func projectNames(t *testing.T, cb *codebuild.Client, by cbtypes.ProjectSortByType, order cbtypes.SortOrderType) []string {
	t.Helper()
	var names []string
	pages := codebuild.NewListProjectsPaginator(cb, &codebuild.ListProjectsInput{SortBy: by, SortOrder: order})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		require.NoError(t, err)
		names = append(names, page.Projects...)
	}
	return names
}

func TestCodeBuildProjects(t *testing.T) {
	t.Parallel()
	b := setup(t)
	cb := codebuildClient(b)
	ctx := context.Background()

	created, err := cb.CreateProject(ctx, projectInput("web", nil))
	require.NoError(t, err)
	p := created.Project
	require.Equal(t, "web", aws.ToString(p.Name))
	require.Equal(t, "arn:aws:codebuild:"+b.Node.Config.Region+":"+b.Node.Config.Account+":project/web", aws.ToString(p.Arn))
	require.Equal(t, int32(60), aws.ToInt32(p.TimeoutInMinutes), "CodeBuild's default timeout")
	require.Equal(t, int32(480), aws.ToInt32(p.QueuedTimeoutInMinutes))
	require.NotNil(t, p.Created)
	require.Equal(t, p.Created, p.LastModified)

	got, err := cb.BatchGetProjects(ctx, &codebuild.BatchGetProjectsInput{Names: []string{"web", "nope", aws.ToString(p.Arn)}})
	require.NoError(t, err)
	require.Equal(t, []string{"nope"}, got.ProjectsNotFound)
	require.Len(t, got.Projects, 2)
	web := got.Projects[0]
	require.Equal(t, "builds web", aws.ToString(web.Description))
	require.Equal(t, cbtypes.SourceTypeCodepipeline, web.Source.Type)
	require.Equal(t, "ci/build.yml", aws.ToString(web.Source.Buildspec))
	require.Equal(t, "docs", aws.ToString(web.SecondarySources[0].SourceIdentifier))
	require.Equal(t, cbtypes.ArtifactsTypeCodepipeline, web.Artifacts.Type)
	require.Equal(t, cbtypes.ComputeTypeBuildGeneral1Small, web.Environment.ComputeType)
	require.Equal(t, "aws/codebuild/standard:7.0", aws.ToString(web.Environment.Image))
	require.Equal(t, []cbtypes.EnvironmentVariable{{Name: aws.String("STAGE"), Value: aws.String("test"), Type: cbtypes.EnvironmentVariableTypePlaintext}},
		web.Environment.EnvironmentVariables)
	require.Equal(t, "arn:aws:iam::000000000000:role/codebuild", aws.ToString(web.ServiceRole))
	require.Equal(t, []cbtypes.Tag{{Key: aws.String("team"), Value: aws.String("ci")}}, web.Tags)
	require.Equal(t, p.Created, web.Created)

	updated, err := cb.UpdateProject(ctx, &codebuild.UpdateProjectInput{Name: aws.String("web"), TimeoutInMinutes: aws.Int32(15),
		Source: &cbtypes.ProjectSource{Type: cbtypes.SourceTypeCodepipeline, Buildspec: aws.String("other.yml")}})
	require.NoError(t, err)
	require.Equal(t, int32(15), aws.ToInt32(updated.Project.TimeoutInMinutes))
	require.Equal(t, "other.yml", aws.ToString(updated.Project.Source.Buildspec))
	require.Equal(t, "builds web", aws.ToString(updated.Project.Description), "members not given are kept")
	require.Equal(t, p.Created, updated.Project.Created)
	require.False(t, updated.Project.LastModified.Before(*p.LastModified))

	_, err = cb.CreateProject(ctx, projectInput("api", nil))
	require.NoError(t, err)
	require.Equal(t, []string{"api", "web"}, projectNames(t, cb, "", ""))
	require.Equal(t, []string{"web", "api"}, projectNames(t, cb, cbtypes.ProjectSortByTypeName, cbtypes.SortOrderTypeDescending))
	require.Equal(t, []string{"api", "web"}, projectNames(t, cb, cbtypes.ProjectSortByTypeLastModifiedTime, cbtypes.SortOrderTypeDescending))

	_, err = cb.DeleteProject(ctx, &codebuild.DeleteProjectInput{Name: aws.String("web")})
	require.NoError(t, err)
	_, err = cb.DeleteProject(ctx, &codebuild.DeleteProjectInput{Name: aws.String("web")})
	require.NoError(t, err, "deleting a missing project is no error")
	got, err = cb.BatchGetProjects(ctx, &codebuild.BatchGetProjectsInput{Names: []string{"web"}})
	require.NoError(t, err)
	require.Empty(t, got.Projects)
	require.Equal(t, []string{"web"}, got.ProjectsNotFound)
	require.Equal(t, []string{"api"}, projectNames(t, cb, "", ""))
}

func TestCodeBuildProjectErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	cb := codebuildClient(b)
	ctx := context.Background()
	_, err := cb.CreateProject(ctx, projectInput("taken", nil))
	require.NoError(t, err)

	// Each refused call leaves the projects as they were.
	unchanged := func(t *testing.T) {
		t.Helper()
		require.Equal(t, []string{"taken"}, projectNames(t, cb, "", ""))
		got, err := cb.BatchGetProjects(ctx, &codebuild.BatchGetProjectsInput{Names: []string{"taken"}})
		require.NoError(t, err)
		require.Equal(t, int32(60), aws.ToInt32(got.Projects[0].TimeoutInMinutes))
	}

	invalid := map[string]struct {
		edit  func(in *codebuild.CreateProjectInput)
		names string
	}{
		"ErrTimeout":     {func(in *codebuild.CreateProjectInput) { in.TimeoutInMinutes = aws.Int32(2161) }, "timeoutInMinutes"},
		"ErrName":        {func(in *codebuild.CreateProjectInput) { in.Name = aws.String("bad name") }, "'name'"},
		"ErrComputeType": {func(in *codebuild.CreateProjectInput) { in.Environment.ComputeType = "HUGE" }, "environment.computeType"},
		"ErrSourceType":  {func(in *codebuild.CreateProjectInput) { in.Source.Type = "FTP" }, "source.type"},
		"ErrVariableType": {func(in *codebuild.CreateProjectInput) {
			in.Environment.EnvironmentVariables[0].Type = "SECRET"
		}, "environment.environmentVariables.1.member.type"},
	}
	for name, tc := range invalid {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := cb.CreateProject(ctx, projectInput("fresh", tc.edit))
			var ie *cbtypes.InvalidInputException
			require.ErrorAs(t, err, &ie)
			requireAPIError(t, err, "InvalidInputException", tc.names)
			unchanged(t)
		})
	}
	t.Run("ErrNameTaken", func(t *testing.T) {
		t.Parallel()
		_, err := cb.CreateProject(ctx, projectInput("taken", func(in *codebuild.CreateProjectInput) { in.TimeoutInMinutes = aws.Int32(5) }))
		var exists *cbtypes.ResourceAlreadyExistsException
		require.ErrorAs(t, err, &exists)
		require.Contains(t, exists.ErrorMessage(), "taken")
		unchanged(t)
	})
	t.Run("ErrUpdateUnknown", func(t *testing.T) {
		t.Parallel()
		_, err := cb.UpdateProject(ctx, &codebuild.UpdateProjectInput{Name: aws.String("nope"), TimeoutInMinutes: aws.Int32(30)})
		var nf *cbtypes.ResourceNotFoundException
		require.ErrorAs(t, err, &nf)
		require.Contains(t, nf.ErrorMessage(), "nope")
		unchanged(t)
	})
	t.Run("ErrUpdateInvalid", func(t *testing.T) {
		t.Parallel()
		_, err := cb.UpdateProject(ctx, &codebuild.UpdateProjectInput{Name: aws.String("taken"), TimeoutInMinutes: aws.Int32(4)})
		requireAPIError(t, err, "InvalidInputException", "timeoutInMinutes")
		unchanged(t)
	})
	t.Run("ErrSortBy", func(t *testing.T) {
		t.Parallel()
		_, err := cb.ListProjects(ctx, &codebuild.ListProjectsInput{SortBy: "SIZE"})
		requireAPIError(t, err, "InvalidInputException", "sortBy")
	})
}

// TestCodeBuildCreateProjectCLI creates the README's example project with the real AWS CLI,
// as the README shows.
func TestCodeBuildCreateProjectCLI(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("aws"); err != nil {
		if os.Getenv("SLUICE_REQUIRE_AWSCLI") != "" {
			t.Fatal("the AWS CLI is required (SLUICE_REQUIRE_AWSCLI is set) but not installed")
		}
		t.Skip("the AWS CLI is not installed")
	}
	b := setup(t)
	dir, err := filepath.Abs(filepath.Join(".."))
	require.NoError(t, err)
	env := append(os.Environ(), "AWS_ACCESS_KEY_ID="+testKeyID, "AWS_SECRET_ACCESS_KEY="+testSecret, "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=")
	run := func(args ...string) string {
		cmd := exec.Command("aws", append(args, "--endpoint-url", b.URL, "--output", "json")...)
		cmd.Env, cmd.Dir = env, dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "aws %s: %s", strings.Join(args, " "), out)
		return string(out)
	}
	out := run("codebuild", "create-project", "--cli-input-json", "file://examples/build-project.json")
	require.Contains(t, out, `"arn": "arn:aws:codebuild:`)
	require.Contains(t, out, `"timeoutInMinutes": 20`)

	got, err := codebuildClient(b).BatchGetProjects(context.Background(), &codebuild.BatchGetProjectsInput{Names: []string{"app-build"}})
	require.NoError(t, err)
	require.Len(t, got.Projects, 1)
	require.Equal(t, "ci/build.yml", aws.ToString(got.Projects[0].Source.Buildspec))
	require.Equal(t, []cbtypes.EnvironmentVariable{{Name: aws.String("STAGE"), Value: aws.String("prod"), Type: cbtypes.EnvironmentVariableTypePlaintext}},
		got.Projects[0].Environment.EnvironmentVariables)
	require.Contains(t, run("codebuild", "list-projects"), `"app-build"`)
	require.Contains(t, run("codebuild", "update-project", "--name", "app-build", "--timeout-in-minutes", "30"), `"timeoutInMinutes": 30`)
}

// TestCodeBuildUnknownProject runs a CodeBuild action naming no project: the pipeline is
// created (projects are looked up when the action runs), and the action fails saying how
// to create the project.
func TestCodeBuildUnknownProject(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	build := types.ActionDeclaration{Name: aws.String("Make"),
		ActionTypeId:   &types.ActionTypeId{Category: types.ActionCategoryBuild, Owner: types.ActionOwnerAws, Provider: aws.String("CodeBuild"), Version: aws.String("1")},
		Configuration:  map[string]string{"ProjectName": "not-created"},
		InputArtifacts: []types.InputArtifact{{Name: aws.String("Code")}}}
	exec := c.Create(t, pipeline("unknown-project", stage("Build", build)))
	c.WaitStatus(t, "unknown-project", exec, types.PipelineExecutionStatusFailed)
	for _, a := range c.ActionRuns(t, "unknown-project", exec) {
		if aws.ToString(a.ActionName) != "Make" {
			continue
		}
		require.Equal(t, types.ActionExecutionStatusFailed, a.Status)
		msg := aws.ToString(a.Output.ExecutionResult.ErrorDetails.Message)
		require.Contains(t, msg, "CodeBuild project not-created not found: create it with `aws codebuild create-project")
		return
	}
	t.Fatal("no run of Build/Make")
}
