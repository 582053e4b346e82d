package alarm

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"sluice/callout"
	"sluice/ruleeval"
)

// alertsPath is Prometheus's list of the alerts its rules hold active, each with its labels
// and state. Sluice reads it rather than querying the ALERTS series: it is the rule
// evaluator's own answer (no lookback window, no series gone stale), it needs no PromQL
// built from user input, and Thanos Ruler and Mimir's ruler serve it too.
const alertsPath = "/api/v1/alerts"

// maxAnswer bounds the alerts list read; maxExcerpt what a failure message quotes of a
// refusing answer.
const (
	maxAnswer  = 32 << 20
	maxExcerpt = 200
)

// alertsAnswer is the body of GET /api/v1/alerts.
type alertsAnswer struct {
	Status    string `json:"status"`
	ErrorType string `json:"errorType"`
	Error     string `json:"error"`
	Data      struct {
		Alerts []struct {
			Labels map[string]string `json:"labels"`
			State  string            `json:"state"` // pending or firing (inactive ones are not listed)
		} `json:"alerts"`
	} `json:"data"`
}

// checkOnce asks Prometheus for its alerts once and maps each of names to its state: ALARM
// when an alert of that name fires, INSUFFICIENT_DATA when one is pending, OK when none is
// listed. retry says whether another attempt may get an answer.
func (w *Watcher) checkOnce(ctx context.Context, names []string) (got map[string]string, retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(w.URL, "/")+alertsPath, nil)
	if err != nil {
		return nil, false, fmt.Errorf("its URL cannot be used: %w", callout.Bare(err))
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "Sluice")
	resp, err := w.HTTP.Do(req)
	if err != nil {
		return nil, true, callout.Bare(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, true, fmt.Errorf("its answer was cut short: %w", err)
	}
	var a alertsAnswer
	decodeErr := json.Unmarshal(body, &a)
	switch {
	case resp.StatusCode != http.StatusOK && decodeErr == nil && a.Status == "error":
		return nil, resp.StatusCode >= 500, fmt.Errorf("it answered HTTP %s: %s: %s", resp.Status, a.ErrorType, a.Error)
	case resp.StatusCode != http.StatusOK:
		return nil, callout.Retryable(resp.StatusCode), fmt.Errorf("it answered HTTP %s%s", resp.Status, callout.Excerpt(body, maxExcerpt))
	case decodeErr != nil || a.Status != "success":
		return nil, false, fmt.Errorf("its answer to GET %s is not Prometheus's alerts list%s", alertsPath, callout.Excerpt(body, maxExcerpt))
	}
	got = make(map[string]string, len(names))
	for _, n := range names {
		got[n] = ruleeval.StateOK
	}
	for _, al := range a.Data.Alerts {
		n := al.Labels["alertname"]
		if _, watched := got[n]; !watched {
			continue
		}
		switch {
		case al.State == "firing":
			got[n] = ruleeval.StateAlarm
		case al.State == "pending" && got[n] == ruleeval.StateOK:
			got[n] = ruleeval.StateInsufficientData
		}
	}
	return got, false, nil
}
