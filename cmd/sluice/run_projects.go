package main

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"sigs.k8s.io/yaml"

	"sluice/api"
	"sluice/provider/codebuild"
)

// localAccount is the account `sluice run` answers for, in ARNs.
const localAccount = "000000000000"

// loadProjects reads the --project files: each holds what `aws codebuild create-project
// --cli-input-json` takes (JSON, or YAML with the same member names), checked and
// completed with defaults as the server's CreateProject does.
func loadProjects(files []string, region string, now time.Time) (codebuild.ProjectMap, error) {
	projects := codebuild.ProjectMap{}
	seen := map[string]string{} // project name -> the file that defined it
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("--project: %w", err)
		}
		js := bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
		if t := bytes.TrimSpace(js); len(t) > 0 && t[0] != '{' {
			if js, err = yaml.YAMLToJSON(t); err != nil {
				return nil, fmt.Errorf("--project %s: not valid JSON or YAML: %w", file, err)
			}
		}
		p, err := api.ProjectFromInput(js, region, localAccount, now)
		if err != nil {
			return nil, fmt.Errorf("--project %s: %w", file, err)
		}
		if other, ok := seen[p.Name]; ok {
			return nil, fmt.Errorf("--project %s: project %s is already defined by %s", file, p.Name, other)
		}
		seen[p.Name], projects[p.Name] = file, p
	}
	return projects, nil
}
