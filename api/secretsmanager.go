package api

import (
	"context"
	"errors"
	"sort"

	"sluice"
	"sluice/service"
)

// The Secrets Manager subset: CreateSecret, GetSecretValue, PutSecretValue, UpdateSecret,
// DeleteSecret, ListSecrets and DescribeSecret. Member violations are
// InvalidParameterException, the exception every one of these operations lists.
const secretsTarget = "secretsmanager."

var (
	secretNameRule  = rule{min: 1, max: 512}
	secretIDRule    = rule{min: 1, max: 2048}
	secretTokenRule = rule{min: 32, max: 64}
	secretDescRule  = rule{max: 2048, quiet: true}
	kmsKeyRule      = rule{max: 2048}
	secretValueRule = rule{max: 65536, quiet: true}
	stageRule       = rule{min: 1, max: 256}
	secretNextRule  = rule{min: 1, max: 4096, quiet: true}
)

const maxSecretBinary = 65536

func (s *Server) secretRoutes(out map[string]handler) {
	for k, h := range map[string]handler{
		"CreateSecret":   s.createSecret,
		"GetSecretValue": s.getSecretValue,
		"PutSecretValue": s.putSecretValue,
		"UpdateSecret":   s.updateSecret,
		"DeleteSecret":   s.deleteSecret,
		"ListSecrets":    s.listSecrets,
		"DescribeSecret": s.describeSecret,
	} {
		out[secretsTarget+k] = h
	}
	out[workerTarget+"ResolveJobSecrets"] = s.resolveJobSecrets
}

// secretParamErr is m's violations as Secrets Manager's InvalidParameterException.
func (m *members) secretParamErr() error {
	err := m.err()
	var e *sluice.Error
	if errors.As(err, &e) {
		e.Resource = "SecretParameter"
	}
	return err
}

// secretValueIn is the value members of CreateSecret, PutSecretValue and UpdateSecret.
type secretValueIn struct {
	SecretString *string `json:"SecretString"`
	SecretBinary *[]byte `json:"SecretBinary"`
}

func (v secretValueIn) check(m *members) {
	if v.SecretString != nil {
		m.present("SecretString", *v.SecretString, secretValueRule)
	}
	if v.SecretBinary != nil && len(*v.SecretBinary) > maxSecretBinary {
		m.fail("", "SecretBinary", "Member must have length less than or equal to 65536")
	}
}

func (v secretValueIn) value() service.SecretValue {
	out := service.SecretValue{String: v.SecretString, HasBinary: v.SecretBinary != nil}
	if v.SecretBinary != nil {
		out.Binary = *v.SecretBinary
	}
	return out
}

type secretTag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

func (s *Server) createSecret(ctx context.Context, c *call) (any, error) {
	var in struct {
		Name               string      `json:"Name"`
		ClientRequestToken string      `json:"ClientRequestToken"`
		Description        string      `json:"Description"`
		KmsKeyID           string      `json:"KmsKeyId"`
		Tags               []secretTag `json:"Tags"`
		secretValueIn
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("Name", in.Name, secretNameRule)
	m.opt("ClientRequestToken", in.ClientRequestToken, secretTokenRule)
	m.opt("Description", in.Description, secretDescRule)
	m.opt("KmsKeyId", in.KmsKeyID, kmsKeyRule)
	in.check(&m)
	if err := m.secretParamErr(); err != nil {
		return nil, err
	}
	tags := make([]sluice.Tag, 0, len(in.Tags))
	for _, t := range in.Tags {
		tags = append(tags, sluice.Tag(t))
	}
	sec, version, err := s.Service.CreateSecret(ctx, c.caller, service.CreateSecretParams{Name: in.Name,
		Description: in.Description, KmsKeyID: in.KmsKeyID, Token: in.ClientRequestToken, Value: in.value(), Tags: tags})
	if err != nil {
		return nil, err
	}
	return secretRef{ARN: sec.ARN, Name: sec.Name, VersionID: version}, nil
}

// secretRef is the answer of CreateSecret and UpdateSecret.
type secretRef struct {
	ARN       string `json:"ARN"`
	Name      string `json:"Name"`
	VersionID string `json:"VersionId,omitempty"`
}

// secretIDIn reads the SecretId every other operation takes.
func secretIDIn(m *members, id string) { m.need("SecretId", id, secretIDRule) }

func (s *Server) getSecretValue(ctx context.Context, c *call) (any, error) {
	var in struct {
		SecretID     string `json:"SecretId"`
		VersionID    string `json:"VersionId"`
		VersionStage string `json:"VersionStage"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	secretIDIn(&m, in.SecretID)
	m.opt("VersionId", in.VersionID, secretTokenRule)
	m.opt("VersionStage", in.VersionStage, stageRule)
	if err := m.secretParamErr(); err != nil {
		return nil, err
	}
	sec, v, err := s.Service.GetSecretValue(ctx, c.caller, in.SecretID, service.SecretVersionRef{ID: in.VersionID, Stage: in.VersionStage})
	if err != nil {
		return nil, err
	}
	out := struct {
		ARN           string   `json:"ARN"`
		Name          string   `json:"Name"`
		VersionID     string   `json:"VersionId"`
		SecretString  *string  `json:"SecretString,omitempty"`
		SecretBinary  []byte   `json:"SecretBinary,omitempty"`
		VersionStages []string `json:"VersionStages"`
		CreatedDate   *epoch   `json:"CreatedDate,omitempty"`
	}{ARN: sec.ARN, Name: sec.Name, VersionID: v.ID, VersionStages: nonNil(v.Stages), CreatedDate: ts(v.Created)}
	if v.IsBinary {
		out.SecretBinary = nonNil(v.Binary)
	} else {
		out.SecretString = &v.String
	}
	return out, nil
}

func (s *Server) putSecretValue(ctx context.Context, c *call) (any, error) {
	var in struct {
		SecretID           string   `json:"SecretId"`
		ClientRequestToken string   `json:"ClientRequestToken"`
		VersionStages      []string `json:"VersionStages"`
		secretValueIn
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	secretIDIn(&m, in.SecretID)
	m.opt("ClientRequestToken", in.ClientRequestToken, secretTokenRule)
	in.check(&m)
	if in.VersionStages != nil && len(in.VersionStages) < 1 || len(in.VersionStages) > 20 {
		m.fail("", "VersionStages", "Member must have length between 1 and 20")
	}
	for _, st := range in.VersionStages {
		m.present("VersionStages.member", st, stageRule)
	}
	if err := m.secretParamErr(); err != nil {
		return nil, err
	}
	sec, v, err := s.Service.PutSecretValue(ctx, c.caller, service.PutSecretValueParams{SecretID: in.SecretID,
		Token: in.ClientRequestToken, Value: in.value(), Stages: in.VersionStages})
	if err != nil {
		return nil, err
	}
	return struct {
		ARN           string   `json:"ARN"`
		Name          string   `json:"Name"`
		VersionID     string   `json:"VersionId"`
		VersionStages []string `json:"VersionStages"`
	}{sec.ARN, sec.Name, v.ID, nonNil(v.Stages)}, nil
}

func (s *Server) updateSecret(ctx context.Context, c *call) (any, error) {
	var in struct {
		SecretID           string  `json:"SecretId"`
		ClientRequestToken string  `json:"ClientRequestToken"`
		Description        *string `json:"Description"`
		KmsKeyID           *string `json:"KmsKeyId"`
		secretValueIn
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	secretIDIn(&m, in.SecretID)
	m.opt("ClientRequestToken", in.ClientRequestToken, secretTokenRule)
	if in.Description != nil {
		m.present("Description", *in.Description, secretDescRule)
	}
	if in.KmsKeyID != nil {
		m.present("KmsKeyId", *in.KmsKeyID, kmsKeyRule)
	}
	in.check(&m)
	if err := m.secretParamErr(); err != nil {
		return nil, err
	}
	sec, version, err := s.Service.UpdateSecret(ctx, c.caller, service.UpdateSecretParams{SecretID: in.SecretID,
		Description: in.Description, KmsKeyID: in.KmsKeyID, Token: in.ClientRequestToken, Value: in.value()})
	if err != nil {
		return nil, err
	}
	return secretRef{ARN: sec.ARN, Name: sec.Name, VersionID: version}, nil
}

func (s *Server) deleteSecret(ctx context.Context, c *call) (any, error) {
	var in struct {
		SecretID                   string `json:"SecretId"`
		RecoveryWindowInDays       *int   `json:"RecoveryWindowInDays"`
		ForceDeleteWithoutRecovery bool   `json:"ForceDeleteWithoutRecovery"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	secretIDIn(&m, in.SecretID)
	if err := m.secretParamErr(); err != nil {
		return nil, err
	}
	sec, err := s.Service.DeleteSecret(ctx, c.caller, service.DeleteSecretParams{SecretID: in.SecretID,
		RecoveryDays: in.RecoveryWindowInDays, Force: in.ForceDeleteWithoutRecovery})
	if err != nil {
		return nil, err
	}
	return struct {
		ARN          string `json:"ARN"`
		Name         string `json:"Name"`
		DeletionDate *epoch `json:"DeletionDate"`
	}{sec.ARN, sec.Name, ts(sec.Deleted)}, nil
}

// secretOut is the model's SecretListEntry (and DescribeSecret's answer, which adds
// VersionIdsToStages under that name).
type secretOut struct {
	ARN                    string              `json:"ARN"`
	Name                   string              `json:"Name"`
	Description            string              `json:"Description,omitempty"`
	KmsKeyID               string              `json:"KmsKeyId,omitempty"`
	LastChangedDate        *epoch              `json:"LastChangedDate,omitempty"`
	LastAccessedDate       *epoch              `json:"LastAccessedDate,omitempty"`
	DeletedDate            *epoch              `json:"DeletedDate,omitempty"`
	Tags                   []secretTag         `json:"Tags,omitempty"`
	SecretVersionsToStages map[string][]string `json:"SecretVersionsToStages,omitempty"`
	VersionIDsToStages     map[string][]string `json:"VersionIdsToStages,omitempty"`
	CreatedDate            *epoch              `json:"CreatedDate,omitempty"`
}

func secretInfoOut(i *service.SecretInfo) secretOut {
	out := secretOut{ARN: i.ARN, Name: i.Name, Description: i.Description, KmsKeyID: i.KmsKeyID,
		LastChangedDate: ts(i.Changed), LastAccessedDate: ts(i.Accessed), DeletedDate: ts(i.Deleted), CreatedDate: ts(i.Created)}
	keys := make([]string, 0, len(i.Tags))
	for k := range i.Tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out.Tags = append(out.Tags, secretTag{k, i.Tags[k]})
	}
	stages := map[string][]string{}
	for _, v := range i.Versions {
		if len(v.Stages) > 0 { // unlabelled versions are deprecated: AWS does not list them
			stages[v.ID] = v.Stages
		}
	}
	if len(stages) > 0 {
		out.SecretVersionsToStages = stages
	}
	return out
}

func (s *Server) describeSecret(ctx context.Context, c *call) (any, error) {
	var in struct {
		SecretID string `json:"SecretId"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	secretIDIn(&m, in.SecretID)
	if err := m.secretParamErr(); err != nil {
		return nil, err
	}
	info, err := s.Service.DescribeSecret(ctx, c.caller, in.SecretID)
	if err != nil {
		return nil, err
	}
	out := secretInfoOut(info)
	out.VersionIDsToStages, out.SecretVersionsToStages = out.SecretVersionsToStages, nil
	return out, nil
}

func (s *Server) listSecrets(ctx context.Context, c *call) (any, error) {
	var in struct {
		MaxResults             *int   `json:"MaxResults"`
		NextToken              string `json:"NextToken"`
		IncludePlannedDeletion bool   `json:"IncludePlannedDeletion"`
		Filters                []any  `json:"Filters"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.between("MaxResults", in.MaxResults, 1, 100)
	m.opt("NextToken", in.NextToken, secretNextRule)
	if err := m.secretParamErr(); err != nil {
		return nil, err
	}
	if len(in.Filters) > 0 {
		return nil, sluice.Errorf(sluice.EInvalid, "SecretParameter", "Sluice does not filter ListSecrets: list without Filters and filter the list.")
	}
	page := sluice.Page{Token: in.NextToken}
	if in.MaxResults != nil {
		page.Limit = *in.MaxResults
	}
	infos, next, err := s.Service.ListSecrets(ctx, c.caller, page, in.IncludePlannedDeletion)
	if err != nil {
		return nil, err
	}
	list := make([]secretOut, 0, len(infos))
	for _, i := range infos {
		list = append(list, secretInfoOut(i))
	}
	return struct {
		SecretList []secretOut `json:"SecretList"`
		NextToken  string      `json:"NextToken,omitempty"`
	}{list, next}, nil
}

// nonNil is s, or an empty slice for nil: members AWS returns empty are present and empty.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
