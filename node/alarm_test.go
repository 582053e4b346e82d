package node_test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/config"
	"sluice/provider/alarm/prometheustest"
)

// alarmRule is a CloudWatchAlarm rule named Alarm.
func alarmRule(cfg map[string]string) types.RuleDeclaration {
	return types.RuleDeclaration{Name: aws.String("Alarm"), Configuration: cfg,
		RuleTypeId: &types.RuleTypeId{Category: types.RuleCategoryRule, Owner: types.RuleOwnerAws, Provider: aws.String("CloudWatchAlarm"), Version: aws.String("1")}}
}

// alarmConformance is a server watching the Prometheus at url, checking every 100ms.
func alarmConformance(t *testing.T, url string) *conformance {
	t.Helper()
	return setupConformanceWith(t, func(c *config.Server) { c.PrometheusURL, c.AlarmInterval = url, 100*time.Millisecond })
}

// alarmRuleState is the one rule of the stage's condition of type hook.
func alarmRuleState(t *testing.T, c *conformance, pipeline string, hook sluice.ConditionType) types.RuleState {
	t.Helper()
	st := stageState(t, c.State(t, pipeline), "Deploy")
	cond := st.BeforeEntryConditionState
	if hook == sluice.ConditionOnSuccess {
		cond = st.OnSuccessConditionState
	}
	require.NotNil(t, cond, "the stage shows its %s condition", hook)
	require.Len(t, cond.ConditionStates, 1)
	require.Len(t, cond.ConditionStates[0].RuleStates, 1)
	return cond.ConditionStates[0].RuleStates[0]
}

// TestAlarmRuleGatesEntry: a stage's beforeEntry condition fails while the alert it names
// fires in a real Prometheus, and lets the stage in when the alert it names is not active.
func TestAlarmRuleGatesEntry(t *testing.T) {
	t.Parallel()
	prom := prometheustest.Start(t)
	prom.Set(1)
	prom.WaitAlert(t, prometheustest.Alert, "firing")
	c := alarmConformance(t, prom.URL)

	t.Run("FiringFails", func(t *testing.T) {
		t.Parallel()
		p := pipeline("alarm-firing", stage("Deploy", cmdAction("Deploy", "true")))
		p.Stages[1].BeforeEntry = &types.BeforeEntryConditions{Conditions: []types.Condition{{Result: types.ResultFail,
			Rules: []types.RuleDeclaration{alarmRule(map[string]string{"AlarmName": prometheustest.Alert})}}}}
		exec := c.Create(t, p)
		c.WaitStatus(t, "alarm-firing", exec, types.PipelineExecutionStatusFailed)
		rule := alarmRuleState(t, c, "alarm-firing", sluice.ConditionBeforeEntry)
		require.Equal(t, types.RuleExecutionStatusFailed, rule.LatestExecution.Status)
		require.Equal(t, "Alarm SluiceTestAlert is in state ALARM (the Prometheus alert is firing).", aws.ToString(rule.LatestExecution.Summary))
	})

	t.Run("QuietPasses", func(t *testing.T) {
		t.Parallel()
		p := pipeline("alarm-quiet", stage("Deploy", cmdAction("Deploy", "true")))
		p.Stages[1].BeforeEntry = &types.BeforeEntryConditions{Conditions: []types.Condition{{Result: types.ResultFail,
			Rules: []types.RuleDeclaration{alarmRule(map[string]string{"AlarmName": "SluiceOtherAlert"})}}}}
		exec := c.Create(t, p)
		c.WaitStatus(t, "alarm-quiet", exec, types.PipelineExecutionStatusSucceeded)
		rule := alarmRuleState(t, c, "alarm-quiet", sluice.ConditionBeforeEntry)
		require.Equal(t, types.RuleExecutionStatusSucceeded, rule.LatestExecution.Status)
		require.Equal(t, "Alarm SluiceOtherAlert is not in ALARM.", aws.ToString(rule.LatestExecution.Summary))
	})
}

// TestAlarmRuleWithoutPrometheus: a server without --prometheus-url fails the rule at once,
// saying how to give it one.
func TestAlarmRuleWithoutPrometheus(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	require.False(t, c.Node.Engine.Runnable(sluice.RuleJobAlarm))
	require.Nil(t, c.Node.Alarms)
	p := pipeline("alarm-unset", stage("Deploy", cmdAction("Deploy", "true")))
	p.Stages[1].BeforeEntry = &types.BeforeEntryConditions{Conditions: []types.Condition{{Result: types.ResultFail,
		Rules: []types.RuleDeclaration{alarmRule(map[string]string{"AlarmName": "HighErrorRate"})}}}}
	exec := c.Create(t, p)
	c.WaitStatus(t, "alarm-unset", exec, types.PipelineExecutionStatusFailed)
	rule := alarmRuleState(t, c, "alarm-unset", sluice.ConditionBeforeEntry)
	require.Contains(t, aws.ToString(rule.LatestExecution.Summary), "start the server with --prometheus-url")
}

// TestAlarmWatchInterruptedByRestart: a server that stops while a rule watches fails the
// rule when it starts again, once, and does not watch it again.
func TestAlarmWatchInterruptedByRestart(t *testing.T) {
	t.Parallel()
	prom := prometheustest.Start(t)
	target, err := url.Parse(prom.URL)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	watching := make(chan struct{})
	var once sync.Once
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(watching) })
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	c := alarmConformance(t, front.URL)
	require.True(t, c.Node.Engine.Runnable(sluice.RuleJobAlarm))

	p := pipeline("alarm-restart", stage("Deploy", cmdAction("Deploy", "true")))
	p.Stages[1].OnSuccess = &types.SuccessConditions{Conditions: []types.Condition{{Result: types.ResultFail,
		Rules: []types.RuleDeclaration{alarmRule(map[string]string{"AlarmName": prometheustest.Alert, "WaitTime": "60"})}}}}
	exec := c.Create(t, p)
	<-watching
	c.Restart(t)
	c.WaitStatus(t, "alarm-restart", exec, types.PipelineExecutionStatusFailed)
	rule := alarmRuleState(t, c, "alarm-restart", sluice.ConditionOnSuccess)
	require.Equal(t, types.RuleExecutionStatusFailed, rule.LatestExecution.Status)
	require.Equal(t, "The Sluice server restarted while this rule was being evaluated; the rule was interrupted.", aws.ToString(rule.LatestExecution.Summary))
}
