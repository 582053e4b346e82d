package service

import (
	"strconv"
	"strings"

	"sluice"
)

// The chat messages of notification rules (the semantics' §6): a compact headline (pipeline,
// status, stage or action, commit), a context line, and a link to the execution's page.

// headline says what happened in plain text: "Pipeline web FAILED at stage Build".
func (n *notice) headline() string {
	ev := n.ev
	var b strings.Builder
	b.WriteString("Pipeline " + ev.PipelineName + " ")
	switch {
	case ev.DetailType == sluice.DetailAction && isApproval(ev) && ev.State == "STARTED":
		b.WriteString("needs an approval at " + ev.Stage + "/" + ev.Action)
	case ev.DetailType == sluice.DetailAction:
		b.WriteString("action " + ev.Stage + "/" + ev.Action + " " + ev.State)
	case ev.DetailType == sluice.DetailStage:
		b.WriteString("stage " + ev.Stage + " " + ev.State)
	default:
		b.WriteString(ev.State)
		if n.failedStage != "" {
			b.WriteString(" at stage " + n.failedStage)
		}
	}
	if n.commit != "" {
		b.WriteString(" (commit " + n.commit + ")")
	}
	return b.String()
}

// context is the line under the headline: region, attempt, the failure's code.
func (n *notice) context() string {
	parts := []string{n.region, "attempt " + strconv.Itoa(max(n.ev.Attempt, 1))}
	if r := n.ev.Result; r != nil && r.ErrorCode != "" {
		parts = append(parts, r.ErrorCode)
	}
	return strings.Join(parts, " · ")
}

// emoji marks a state in Slack.
func (n *notice) emoji() string {
	switch n.ev.State {
	case "FAILED":
		return ":x:"
	case "SUCCEEDED":
		return ":white_check_mark:"
	case "CANCELED", "SUPERSEDED":
		return ":no_entry_sign:"
	case "RESUMED":
		return ":repeat:"
	}
	if isApproval(n.ev) {
		return ":raised_hand:"
	}
	return ":arrow_forward:"
}

// slackEscape escapes what mrkdwn reads as markup in text users wrote.
var slackEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// slack is the Slack incoming webhook's body: text (the notification's fallback) and blocks.
func (n *notice) slack() map[string]any {
	text := n.headline()
	section := n.emoji() + " " + slackEscape.Replace(text)
	if n.link != "" {
		section += "\n<" + n.link + "|Open execution>"
	}
	blocks := []any{
		map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": section}},
		map[string]any{"type": "context", "elements": []any{map[string]any{"type": "mrkdwn", "text": slackEscape.Replace(n.context())}}},
	}
	if n.link != "" {
		blocks = append(blocks, map[string]any{"type": "actions", "elements": []any{map[string]any{"type": "button",
			"text": map[string]any{"type": "plain_text", "text": "Open execution"}, "url": n.link}}})
	}
	return map[string]any{"text": text, "blocks": blocks}
}

// teams is an Adaptive Card in a message, which Teams' workflows and connectors both take.
func (n *notice) teams() map[string]any {
	facts := []any{map[string]any{"title": "Region", "value": n.region}}
	if n.commit != "" {
		facts = append([]any{map[string]any{"title": "Commit", "value": n.commit}}, facts...)
	}
	card := map[string]any{"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4",
		"body": []any{
			map[string]any{"type": "TextBlock", "weight": "Bolder", "text": n.headline(), "wrap": true},
			map[string]any{"type": "FactSet", "facts": facts},
		}}
	if n.link != "" {
		card["actions"] = []any{map[string]any{"type": "Action.OpenUrl", "title": "Open execution", "url": n.link}}
	}
	return map[string]any{"type": "message", "attachments": []any{map[string]any{
		"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": nil, "content": card}}}
}
