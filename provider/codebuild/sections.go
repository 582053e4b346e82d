package codebuild

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// phases fails on a phase name it does not know, as CodeBuild does (YAML_FILE_ERROR): a
// misspelt phase skipped with a warning would let a build that ran nothing succeed.
func (d *decoder) phases(n *yaml.Node) Phases {
	var p Phases
	handlers := map[string]func(*yaml.Node){
		"install":    func(v *yaml.Node) { p.Install = d.phase(v, "install") },
		"pre_build":  func(v *yaml.Node) { p.PreBuild = d.phase(v, "pre_build") },
		"build":      func(v *yaml.Node) { p.Build = d.phase(v, "build") },
		"post_build": func(v *yaml.Node) { p.PostBuild = d.phase(v, "post_build") },
	}
	d.entries(n, "phases", func(key, value *yaml.Node) {
		if h, ok := handlers[key.Value]; ok {
			h(value)
			return
		}
		d.fail(key, "unknown phase name %q in phases (the phases are install, pre_build, build and post_build)", key.Value)
	})
	return p
}

func (d *decoder) phase(n *yaml.Node, name string) *Phase {
	path := "phases." + name
	p := &Phase{}
	d.fields(n, path, map[string]func(*yaml.Node){
		"run-as": func(v *yaml.Node) {
			p.RunAs = d.scalar(v, path+".run-as")
			d.warn(v, "run-as is not supported: commands run as the worker's user")
		},
		"on-failure": func(v *yaml.Node) { p.OnFailure = d.onFailure(v, path+".on-failure") },
		"runtime-versions": func(v *yaml.Node) {
			p.RuntimeVersions = d.stringMap(v, path+".runtime-versions")
			if name != "install" {
				d.warn(v, "runtime-versions is only allowed in the install phase: ignored")
			} else {
				d.warn(v, "runtime-versions are not supported: the worker's installed tools are used")
			}
		},
		"commands": func(v *yaml.Node) { p.Commands = d.list(v, path+".commands") },
		"finally":  func(v *yaml.Node) { p.Finally = d.list(v, path+".finally") },
	})
	return p
}

// onFailure keeps ABORT and CONTINUE; the RETRY forms newer CodeBuild versions accept are
// reported and run as ABORT, so the build still stops rather than loop.
func (d *decoder) onFailure(n *yaml.Node, path string) string {
	v := strings.ToUpper(d.scalar(n, path))
	switch {
	case v == "ABORT" || v == "CONTINUE":
		return v
	case strings.HasPrefix(v, "RETRY"):
		d.warn(n, "on-failure %s is not supported: treated as ABORT", v)
		return "ABORT"
	default:
		d.fail(n, "%s must be ABORT or CONTINUE, not %q", path, v)
		return ""
	}
}

func (d *decoder) artifacts(n *yaml.Node) *Artifacts {
	a := &Artifacts{}
	h := d.artifactFields(&a.ArtifactSpec, "artifacts")
	h["secondary-artifacts"] = func(v *yaml.Node) {
		d.entries(v, "artifacts.secondary-artifacts", func(key, v *yaml.Node) {
			path := "artifacts.secondary-artifacts." + key.Value
			var spec ArtifactSpec
			d.fields(v, path, d.artifactFields(&spec, path))
			if a.Secondary == nil {
				a.Secondary = map[string]ArtifactSpec{}
			}
			a.Secondary[key.Value] = spec
		})
	}
	d.fields(n, "artifacts", h)
	return a
}

func (d *decoder) artifactFields(s *ArtifactSpec, path string) map[string]func(*yaml.Node) {
	return map[string]func(*yaml.Node){
		"files":           func(v *yaml.Node) { s.Files = d.list(v, path+".files") },
		"name":            func(v *yaml.Node) { s.Name = d.scalar(v, path+".name") },
		"discard-paths":   func(v *yaml.Node) { s.DiscardPaths = d.flag(v, path+".discard-paths") },
		"base-directory":  func(v *yaml.Node) { s.BaseDirectory = d.scalar(v, path+".base-directory") },
		"exclude-paths":   func(v *yaml.Node) { s.ExcludePaths = d.list(v, path+".exclude-paths") },
		"enable-symlinks": func(v *yaml.Node) { s.EnableSymlinks = d.flag(v, path+".enable-symlinks") },
		"s3-prefix":       func(v *yaml.Node) { s.S3Prefix = d.scalar(v, path+".s3-prefix") },
	}
}

func (d *decoder) reports(n *yaml.Node) map[string]Report {
	d.warn(n, "reports are not supported: ignored")
	out := map[string]Report{}
	d.entries(n, "reports", func(key, v *yaml.Node) {
		var r Report
		group := key.Value
		path := "reports." + group
		d.fields(v, path, map[string]func(*yaml.Node){
			"files":          func(v *yaml.Node) { r.Files = d.list(v, path+".files") },
			"base-directory": func(v *yaml.Node) { r.BaseDirectory = d.scalar(v, path+".base-directory") },
			"discard-paths":  func(v *yaml.Node) { r.DiscardPaths = d.flag(v, path+".discard-paths") },
			"file-format":    func(v *yaml.Node) { r.FileFormat = d.scalar(v, path+".file-format") },
		})
		out[group] = r
	})
	return out
}

// cache, batch and proxy are ignored as a whole, so only the keys that say what they are
// asking for are read; their other keys are not reported one by one.
func (d *decoder) cache(n *yaml.Node) *Cache {
	d.warn(n, "cache is not supported: ignored")
	c := &Cache{}
	if v := child(n, "paths"); v != nil {
		c.Paths = d.list(v, "cache.paths")
	}
	return c
}

func (d *decoder) batch(n *yaml.Node) *Batch {
	d.warn(n, "batch is not supported: the buildspec runs as one build (BatchEnabled must not be true)")
	b := &Batch{}
	if v := child(n, "fast-fail"); v != nil {
		b.FastFail = d.flag(v, "batch.fast-fail")
	}
	for _, kind := range []string{"build-list", "build-matrix", "build-graph"} {
		if child(n, kind) != nil {
			b.Kind = kind
		}
	}
	return b
}

func (d *decoder) proxy(n *yaml.Node) *Proxy {
	d.warn(n, "proxy is not supported: ignored")
	p := &Proxy{}
	if v := child(n, "upload-artifacts"); v != nil {
		p.UploadArtifacts = d.flag(v, "proxy.upload-artifacts")
	}
	if v := child(n, "logs"); v != nil {
		p.Logs = d.flag(v, "proxy.logs")
	}
	return p
}

// child returns the value of key in mapping n, or nil.
func child(n *yaml.Node, key string) *yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return resolve(n.Content[i+1])
		}
	}
	return nil
}
