package eventroute

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"sluice"
	"sluice/eventbus"
)

// approval publishes CodePipeline's approval message to the topic an approval action
// names in NotificationArn, when it starts waiting.
func (r *Router) approval(ctx context.Context, env *eventbus.Envelope) error {
	ev := &env.Record.Event
	if ev.DetailType != sluice.DetailApprovalNeeded || ev.Approval == nil || ev.Approval.NotificationARN == "" || r.Publish == nil {
		return nil
	}
	msg := r.approvalMessage(ev)
	body, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	// JSON for programs, text for people: SNS picks the email key for email subscribers.
	structured, err := json.Marshal(map[string]string{"default": string(body), "email": approvalText(msg)})
	if err != nil {
		return err
	}
	err = r.Publish(ctx, sluice.PublishInput{TopicARN: ev.Approval.NotificationARN, Subject: approvalSubject(ev.PipelineName, ev.Action),
		Message: string(structured), MessageStructure: "json", DedupeKey: env.ID})
	if err != nil && sluice.ErrorCode(err) != sluice.EInternal {
		// The topic is gone or refuses: the approval still waits, visible in the console.
		r.Log.Warn("approval notification not sent", "pipeline", ev.PipelineName, "stage", ev.Stage,
			"action", ev.Action, "topic", ev.Approval.NotificationARN, "err", err)
		return nil
	}
	return err
}

// approvalMessage is the JSON AWS publishes; every key is present, unset ones null.
type approvalMessage struct {
	Region      string          `json:"region"`
	ConsoleLink string          `json:"consoleLink"`
	Approval    approvalDetails `json:"approval"`
}

type approvalDetails struct {
	PipelineName       string  `json:"pipelineName"`
	StageName          string  `json:"stageName"`
	ActionName         string  `json:"actionName"`
	Token              string  `json:"token"`
	Expires            string  `json:"expires"`
	ExternalEntityLink *string `json:"externalEntityLink"`
	ApprovalReviewLink string  `json:"approvalReviewLink"`
	CustomData         *string `json:"customData"`
}

func (r *Router) approvalMessage(ev *sluice.Event) approvalMessage {
	a := ev.Approval
	page := strings.TrimRight(r.ConsoleURL, "/") + "/pipelines/" + url.PathEscape(ev.PipelineName)
	return approvalMessage{Region: r.Scope.Region, ConsoleLink: page, Approval: approvalDetails{
		PipelineName: ev.PipelineName, StageName: ev.Stage, ActionName: ev.Action, Token: a.Token,
		Expires:            a.Expires.UTC().Format("2006-01-02T15:04Z"),
		ExternalEntityLink: orNull(a.ExternalLink), CustomData: orNull(a.CustomData),
		// The pipeline page holds the approval's form under this anchor.
		ApprovalReviewLink: page + "#approve-" + url.PathEscape(ev.Stage) + "-" + url.PathEscape(ev.Action)}}
}

func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// approvalSubject is AWS's subject, names cut to 24 characters so that it stays within
// SNS's 100.
func approvalSubject(pipeline, action string) string {
	return fmt.Sprintf("APPROVAL NEEDED: AWS CodePipeline %s for action %s", cut(pipeline), cut(action))
}

func cut(s string) string {
	if r := []rune(s); len(r) > 24 {
		return string(r[:24]) + "..."
	}
	return s
}

// approvalText is the message for people (email subscribers).
func approvalText(m approvalMessage) string {
	var b strings.Builder
	a := m.Approval
	fmt.Fprintf(&b, "Hello,\n\nThe following Approval action is waiting for your response:\n\n")
	fmt.Fprintf(&b, "--Pipeline Details--\n\nPipeline name: %s\nStage name: %s\nAction name: %s\nRegion: %s\n\n", a.PipelineName, a.StageName, a.ActionName, m.Region)
	fmt.Fprintf(&b, "--Approval Details--\n\nApprove or reject: %s\n", a.ApprovalReviewLink)
	if a.CustomData != nil {
		fmt.Fprintf(&b, "Additional information: %s\n", *a.CustomData)
	}
	if a.ExternalEntityLink != nil {
		fmt.Fprintf(&b, "Content to review: %s\n", *a.ExternalEntityLink)
	}
	fmt.Fprintf(&b, "Deadline: This review request will expire on %s\n\nSincerely,\nSluice\n", a.Expires)
	return b.String()
}
