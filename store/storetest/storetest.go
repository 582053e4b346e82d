// Package storetest is the conformance suite of sluice.Store: every adapter (SQLite always,
// PostgreSQL when its database is configured) runs Run and must pass all of it. The suite
// talks only through the port, so it holds no SQL.
//
// The contract is written once, on the port: the docs of sluice.Store and of the interfaces
// it embeds (the root package's ports*.go, function.go and webhook.go). Each group of checks
// names the docs it checks instead of restating them; a check that asserts what its doc does
// not say is a bug in one of the two, to be fixed in the doc first.
package storetest

import (
	"testing"

	"sluice"
)

// Option gives the suite more of the adapter to check.
type Option func(*suite)

// WithReopen lets the suite close a store and open its data again: reopen closes s and
// returns a store on the same data. Without it, the checks of durability are skipped.
func WithReopen(reopen func(t *testing.T, s sluice.Store) sluice.Store) Option {
	return func(s *suite) { s.reopen = reopen }
}

// suite is what the groups that need more than a fresh store get.
type suite struct {
	open   func(*testing.T) sluice.Store
	reopen func(*testing.T, sluice.Store) sluice.Store
}

// Run runs the suite; open returns a fresh, empty store and closes it when t ends.
func Run(t *testing.T, open func(t *testing.T) sluice.Store, opts ...Option) {
	s := &suite{open: open}
	for _, o := range opts {
		o(s)
	}
	groups := []struct {
		name string
		run  func(*testing.T, func(*testing.T) sluice.Store)
	}{
		{"Update", testUpdate},
		{"Transactions", testTransactions},
		{"Notifier", testNotifier},
		{"Pipelines", testPipelines},
		{"Delete", testDelete},
		{"Apply", testApply},
		{"Conflicts", testConflicts},
		{"Snapshot", testSnapshot},
		{"SnapshotRollback", testSnapshotRollback},
		{"Executions", testExecutions},
		{"ActionRuns", testActionRuns},
		{"RuleRuns", testRuleRuns},
		{"PipelineState", testPipelineState},
		{"Timers", testTimers},
		{"Claims", testClaims},
		{"ClaimFilters", testClaimFilters},
		{"ActionTypes", testActionTypes},
		{"ThirdPartyClients", testThirdPartyClients},
		{"Connections", testConnections},
		{"WebhookDeliveries", testWebhookDeliveries},
		{"Webhooks", testWebhooks},
		{"Leases", testLeases},
		{"LeaderLeases", testLeaderLeases},
		{"Repositories", testRepositories},
		{"Projects", testProjects},
		{"Functions", testFunctions},
		{"TagsAndKeys", testTagsAndKeys},
		{"WatchIndex", testWatchIndex},
		{"PushHeads", testPushHeads},
		{"Secrets", testSecrets},
		{"Parameters", testParameters},
		{"PipelineAuthors", testPipelineAuthors},
		{"Identity", testIdentity},
		{"Sessions", testSessions},
		{"Audit", testAudit},
		{"Deliveries", testDeliveries},
		{"DeliveryLeases", testDeliveryLeases},
		{"CancelDeliveries", testCancelDeliveries},
		{"NotificationRules", testNotificationRules},
		{"EventRules", testEventRules},
		{"Topics", testTopics},
		{"Subscriptions", testSubscriptions},
		{"DeployTargets", testDeployTargets},
		{"Retention", testRetention},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			g.run(t, open)
		})
	}
	t.Run("Outbox", func(t *testing.T) {
		t.Parallel()
		testOutbox(t, s)
	})
}
