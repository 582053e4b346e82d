package api

import (
	"context"
	"fmt"

	"sluice"
)

var (
	propertyNameRule = modelRule("ActionConfigurationKey")
	propertyDescRule = modelRule("Description").quietly()
	propertyTypeRule = modelRule("ActionConfigurationPropertyType")
	urlRule          = modelRule("Url").quietly()
)

// customActionTypeIn is CreateCustomActionType's input.
type customActionTypeIn struct {
	Category                string                               `json:"category"`
	Provider                string                               `json:"provider"`
	Version                 string                               `json:"version"`
	Settings                *sluice.ActionTypeSettings           `json:"settings"`
	ConfigurationProperties []sluice.ActionConfigurationProperty `json:"configurationProperties"`
	InputArtifactDetails    *artifactDetailsIn                   `json:"inputArtifactDetails"`
	OutputArtifactDetails   *artifactDetailsIn                   `json:"outputArtifactDetails"`
	Tags                    []tag                                `json:"tags"`
}

type artifactDetailsIn struct {
	MinimumCount *int `json:"minimumCount"`
	MaximumCount *int `json:"maximumCount"`
}

func (in *customActionTypeIn) check() error {
	var m members
	m.need("category", in.Category, categoryRule)
	m.need("provider", in.Provider, providerRule)
	m.need("version", in.Version, versionRule)
	if in.Settings != nil {
		m.opt("settings.thirdPartyConfigurationUrl", in.Settings.ThirdPartyConfigurationURL, urlRule)
		m.opt("settings.entityUrlTemplate", in.Settings.EntityURLTemplate, urlRule)
		m.opt("settings.executionUrlTemplate", in.Settings.ExecutionURLTemplate, urlRule)
		m.opt("settings.revisionUrlTemplate", in.Settings.RevisionURLTemplate, urlRule)
	}
	m.atMost("configurationProperties", len(in.ConfigurationProperties), 10)
	for i, p := range in.ConfigurationProperties {
		path := fmt.Sprintf("configurationProperties.%d.member.", i+1)
		m.need(path+"name", p.Name, propertyNameRule)
		m.opt(path+"description", p.Description, propertyDescRule)
		m.opt(path+"type", p.Type, propertyTypeRule)
	}
	for name, d := range map[string]*artifactDetailsIn{"inputArtifactDetails": in.InputArtifactDetails, "outputArtifactDetails": in.OutputArtifactDetails} {
		switch {
		case d == nil:
			m.null(name)
		case d.MinimumCount == nil:
			m.null(name + ".minimumCount")
		case d.MaximumCount == nil:
			m.null(name + ".maximumCount")
		default:
			m.between(name+".minimumCount", d.MinimumCount, 0, 5)
			m.between(name+".maximumCount", d.MaximumCount, 0, 5)
		}
	}
	return m.err()
}

func (in *customActionTypeIn) actionType() sluice.ActionType {
	return sluice.ActionType{
		ID:                      sluice.ActionTypeID{Category: in.Category, Owner: sluice.OwnerCustom, Provider: in.Provider, Version: in.Version},
		Settings:                in.Settings,
		ConfigurationProperties: in.ConfigurationProperties,
		InputArtifactDetails:    sluice.ArtifactDetails{MinimumCount: *in.InputArtifactDetails.MinimumCount, MaximumCount: *in.InputArtifactDetails.MaximumCount},
		OutputArtifactDetails:   sluice.ArtifactDetails{MinimumCount: *in.OutputArtifactDetails.MinimumCount, MaximumCount: *in.OutputArtifactDetails.MaximumCount},
	}
}

func (s *Server) createCustomActionType(ctx context.Context, c *call) (any, error) {
	var in customActionTypeIn
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	t, tags, err := s.Service.CreateCustomActionType(ctx, c.caller, in.actionType(), coreTags(in.Tags))
	if err != nil {
		return nil, err
	}
	return map[string]any{"actionType": t, "tags": tagList(tags)}, nil
}

func (s *Server) deleteCustomActionType(ctx context.Context, c *call) (any, error) {
	var in sluice.ActionTypeID
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("category", in.Category, categoryRule)
	m.need("provider", in.Provider, providerRule)
	m.need("version", in.Version, versionRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	return nil, s.Service.DeleteCustomActionType(ctx, c.caller, in)
}
