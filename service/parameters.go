package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"sluice"
)

// Parameter Store's limits and messages.
const (
	maxParamVersions = 100
	maxParamLevels   = 15
	defaultParamKey  = "alias/aws/ssm"
	msgParamName     = `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_`
)

var paramNamePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^/?[a-zA-Z0-9_.\-]+(/[a-zA-Z0-9_.\-]+)*$`) })

// paramErr is an error Parameter Store names: resource is the exception's name.
func paramErr(resource, format string, args ...any) error {
	return sluice.Errorf(sluice.EInvalid, resource, format, args...)
}

// checkParamName applies Parameter Store's naming rules.
func checkParamName(name string) error {
	bare := strings.ToLower(strings.TrimPrefix(name, "/"))
	if !paramNamePattern().MatchString(name) || strings.HasPrefix(bare, "aws") || strings.HasPrefix(bare, "ssm") {
		return paramErr("", msgParamName)
	}
	if strings.Count(strings.TrimPrefix(name, "/"), "/")+1 > maxParamLevels {
		return paramErr("HierarchyLevelLimitExceeded", "Parameter name hierarchy depth exceeds limit of %d. Reduce the number of levels in the parameter name and try again.", maxParamLevels)
	}
	return nil
}

// paramARN is the ARN of a parameter or path: the name without its leading slash.
func (s *Service) paramARN(name string) string {
	return s.Scope().ARN(sluice.ParameterARN, strings.TrimPrefix(name, "/"))
}

// PutParameterParams puts a parameter's next version.
type PutParameterParams struct {
	Name, Value, Type, Description, KeyID, AllowedPattern, Tier, DataType string
	Overwrite                                                             bool
	Tags                                                                  []sluice.Tag
}

// PutParameter stores a new parameter, or (with Overwrite) a new version of one, and
// returns the stored version.
func (s *Service) PutParameter(ctx context.Context, c sluice.Caller, p PutParameterParams) (*sluice.Parameter, error) {
	if err := s.checkPut(&p); err != nil {
		return nil, err
	}
	if err := s.allow(ctx, c, actPutParameter, s.paramARN(p.Name)); err != nil {
		return nil, err
	}
	out := &sluice.Parameter{Name: p.Name, Type: p.Type, Value: p.Value, KeyID: p.KeyID, Description: p.Description,
		AllowedPattern: p.AllowedPattern, DataType: p.DataType, Tier: p.Tier, Modified: s.Now(), ModifiedBy: c.Principal}
	err := s.Store.InTx(ctx, func(x sluice.Executor) error {
		if out.Type == "" {
			old, err := x.GetParameter(ctx, p.Name, 0)
			if sluice.IsCode(err, sluice.ENotFound) {
				return paramErr("", "A parameter type is required when you create a parameter.")
			}
			if err != nil {
				return err
			}
			out.Type = old.Type
		}
		if out.Type == sluice.ParamSecureString && out.KeyID == "" {
			out.KeyID = defaultParamKey
		}
		if err := x.PutParameter(ctx, out, p.Overwrite, maxParamVersions); err != nil {
			return err
		}
		return x.TagResource(ctx, s.paramARN(p.Name), tagMap(p.Tags))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) checkPut(p *PutParameterParams) error {
	if err := checkParamName(p.Name); err != nil {
		return err
	}
	if p.Tier == "" || p.Tier == "Intelligent-Tiering" {
		p.Tier = "Standard"
	}
	if p.DataType == "" {
		p.DataType = "text"
	}
	switch {
	case p.Overwrite && len(p.Tags) > 0:
		return paramErr("", "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.")
	case p.KeyID != "" && p.Type != "" && p.Type != sluice.ParamSecureString:
		return paramErr("", "KeyId is required for SecureString type parameter only.")
	case p.Tier == "Standard" && utf16Len(p.Value) > 4096:
		return paramErr("", "Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html")
	case p.DataType != "text":
		return paramErr("", "The data type %s is not supported: Sluice keeps text parameters only.", p.DataType)
	}
	if err := CheckTags(p.Tags); err != nil {
		return paramErr("", "%s", err.Error())
	}
	if p.AllowedPattern == "" {
		return nil
	}
	re, err := regexp.Compile(p.AllowedPattern)
	if err != nil {
		return paramErr("InvalidAllowedPattern", "The allowed pattern %s is not a valid regular expression.", p.AllowedPattern)
	}
	if !re.MatchString(p.Value) {
		shown := p.Value
		if p.Type == sluice.ParamSecureString {
			shown = "(hidden)"
		}
		return paramErr("ParameterPatternMismatch", "Parameter value, %s, failed to satisfy constraint specified by Allowed pattern.", shown)
	}
	return nil
}

// paramRef splits a GetParameter name into the name and its version selector (0: none): a
// name or ARN, then ":<version>".
func (s *Service) paramRef(ref string) (string, int64, error) {
	if name, ok := s.Scope().ID(sluice.ParameterARN, ref); ok {
		ref = name
		if strings.Contains(name, "/") {
			ref = "/" + name
		}
	}
	name, sel, ok := strings.Cut(ref, ":")
	if !ok {
		return ref, 0, nil
	}
	v, err := strconv.ParseInt(sel, 10, 64)
	if err != nil || v < 1 {
		return "", 0, sluice.Errorf(sluice.ENotFound, "ParameterVersion", "Systems Manager could not find version label %s of parameter %s. Sluice does not keep labels.", sel, name)
	}
	return name, v, nil
}

// GetParameter returns a parameter (its latest version, or the one the name selects). A
// SecureString's value is an opaque stand-in unless decrypt.
func (s *Service) GetParameter(ctx context.Context, c sluice.Caller, ref string, decrypt bool) (*sluice.Parameter, error) {
	name, version, err := s.paramRef(ref)
	if err != nil {
		return nil, err
	}
	if err := s.allow(ctx, c, actGetParameter, s.paramARN(name)); err != nil {
		return nil, err
	}
	p, err := s.Store.GetParameter(ctx, name, version)
	if err != nil {
		return nil, err
	}
	return hideSecure(p, decrypt), nil
}

// hideSecure replaces a SecureString's value, when it is not to be decrypted, with random
// bytes in base64, the shape of the ciphertext AWS returns; Sluice has no KMS to decrypt a
// ciphertext with, so it hands none out.
func hideSecure(p *sluice.Parameter, decrypt bool) *sluice.Parameter {
	if p.Type == sluice.ParamSecureString && !decrypt {
		blob := make([]byte, 48+len(p.Value))
		_, _ = rand.Read(blob)
		p.Value = base64.StdEncoding.EncodeToString(blob)
	}
	return p
}

// GetParameters returns the parameters names name, and the names of none.
func (s *Service) GetParameters(ctx context.Context, c sluice.Caller, refs []string, decrypt bool) ([]*sluice.Parameter, []string, error) {
	var (
		found   []*sluice.Parameter
		invalid []string
		seen    = map[string]bool{}
	)
	for _, ref := range refs {
		if seen[ref] {
			continue
		}
		seen[ref] = true
		name, version, err := s.paramRef(ref)
		if err == nil {
			if err = s.allow(ctx, c, actGetParameters, s.paramARN(name)); err != nil {
				return nil, nil, err
			}
			var p *sluice.Parameter
			if p, err = s.Store.GetParameter(ctx, name, version); err == nil {
				found = append(found, hideSecure(p, decrypt))
				continue
			}
		}
		if !sluice.IsCode(err, sluice.ENotFound) {
			return nil, nil, err
		}
		invalid = append(invalid, ref)
	}
	return found, invalid, nil
}

// ParametersByPathParams lists parameters under a path.
type ParametersByPathParams struct {
	Path      string
	Recursive bool
	Decrypt   bool
	Types     []string // only these types (none: every type)
	Page      sluice.Page
}

// GetParametersByPath returns one page of the parameters under a path. The caller needs
// ssm:GetParametersByPath on the path alone, as on AWS.
func (s *Service) GetParametersByPath(ctx context.Context, c sluice.Caller, p ParametersByPathParams) ([]*sluice.Parameter, string, error) {
	if !strings.HasPrefix(p.Path, "/") || (p.Path != "/" && !paramNamePattern().MatchString(strings.TrimSuffix(p.Path, "/"))) {
		return nil, "", paramErr("", "The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\".")
	}
	if err := s.allow(ctx, c, actGetParametersByPath, s.paramARN(strings.TrimSuffix(p.Path, "/"))); err != nil {
		return nil, "", err
	}
	path := strings.TrimSuffix(p.Path, "/") + "/"
	ps, next, err := s.Store.ParametersByPath(ctx, path, p.Recursive, p.Page)
	if err != nil {
		return nil, "", err
	}
	out := ps[:0]
	for _, q := range ps {
		if len(p.Types) == 0 || contains(p.Types, q.Type) {
			out = append(out, hideSecure(q, p.Decrypt))
		}
	}
	return out, next, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// DeleteParameter removes a parameter, every version, and its tags.
func (s *Service) DeleteParameter(ctx context.Context, c sluice.Caller, name string) error {
	if err := s.allow(ctx, c, actDeleteParameter, s.paramARN(name)); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(x sluice.Executor) error {
		if err := x.DeleteParameter(ctx, name); err != nil {
			return err
		}
		tags, err := x.ListTags(ctx, s.paramARN(name))
		if err != nil {
			return err
		}
		keys := make([]string, 0, len(tags))
		for k := range tags {
			keys = append(keys, k)
		}
		return x.UntagResource(ctx, s.paramARN(name), keys)
	})
}
