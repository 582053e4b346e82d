package worker

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"sluice"
	"sluice/client"
)

// Projects looks build projects up on the server (CodeBuild's BatchGetProjects), so a
// CodeBuild action on a worker runs with the same project as on the server.
type Projects struct{ c *client.Client }

// NewProjects returns the project lookup of a worker of server (see Config).
func NewProjects(server, region string, creds aws.CredentialsProvider) Projects {
	return Projects{c: client.New(server, region, creds, &http.Client{Timeout: time.Minute})}
}

// GetProject returns the named project (ENotFound/Project when the server has none).
func (p Projects) GetProject(ctx context.Context, name string) (*sluice.BuildProject, error) {
	var out struct {
		Projects []json.RawMessage `json:"projects"`
	}
	if err := p.c.Call(ctx, "CodeBuild_20161006.BatchGetProjects", "codebuild", map[string]any{"names": []string{name}}, &out); err != nil {
		return nil, err
	}
	if len(out.Projects) == 0 {
		return nil, sluice.Errorf(sluice.ENotFound, "Project", "Project %s does not exist.", name)
	}
	var doc struct {
		Name   string `json:"name"`
		ARN    string `json:"arn"`
		Source struct {
			Buildspec string `json:"buildspec"`
		} `json:"source"`
		Environment struct {
			Variables []sluice.EnvironmentVariable `json:"environmentVariables"`
		} `json:"environment"`
		TimeoutInMinutes int `json:"timeoutInMinutes"`
	}
	if err := json.Unmarshal(out.Projects[0], &doc); err != nil {
		return nil, err
	}
	return &sluice.BuildProject{Name: doc.Name, ARN: doc.ARN, Buildspec: doc.Source.Buildspec,
		Variables: doc.Environment.Variables, TimeoutInMinutes: doc.TimeoutInMinutes, Document: out.Projects[0]}, nil
}
