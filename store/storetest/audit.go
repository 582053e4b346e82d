package storetest

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// auditEvent is a stored-shape record of a call by user at sec seconds after base.
func (f *fixture) auditEvent(name, user string, sec int, res ...sluice.AuditResource) *sluice.AuditEvent {
	return &sluice.AuditEvent{
		EventVersion: "1.08", EventTime: at(sec), EventSource: "codepipeline.amazonaws.com", EventName: name,
		AWSRegion: "us-east-1", SourceIPAddress: "127.0.0.1", UserAgent: "aws-cli/2",
		UserIdentity: sluice.AuditIdentity{Type: "IAMUser", UserName: user, AccessKeyID: "AKIA" + user,
			ARN: "arn:aws:iam::123456789012:user/" + user, AccountID: "123456789012"},
		RequestParameters: json.RawMessage(`{"name":"app"}`), ResponseElements: json.RawMessage("null"),
		RequestID: f.id("req"), EventID: f.id("ev"), ReadOnly: name == "GetPipeline", Resources: res,
		EventType: "AwsApiCall", ManagementEvent: true, RecipientAccountID: "123456789012", EventCategory: "Management",
	}
}

func (f *fixture) lookup(q sluice.AuditQuery) ([]*sluice.AuditEvent, string) {
	f.t.Helper()
	evs, next, err := f.s.LookupAuditEvents(f.ctx, q)
	require.NoError(f.t, err)
	return evs, next
}

func eventIDs(evs []*sluice.AuditEvent) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.EventID
	}
	return out
}

var appResource = sluice.AuditResource{ARN: "arn:aws:codepipeline:us-east-1:123456789012:app",
	AccountID: "123456789012", Type: "AWS::CodePipeline::Pipeline", Name: "app"}

// testAudit checks sluice.AuditWriter, sluice.AuditLog and the writing of an attached
// sluice.AuditRecord by the transaction it rides in (ports_audit.go, audit.go).
func testAudit(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("LookupByEachAttributeNewestFirst", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		start := f.auditEvent("StartPipelineExecution", "alice", 10, appResource)
		get := f.auditEvent("GetPipeline", "bob", 20, appResource)
		other := f.auditEvent("ListPipelines", "alice", 30)
		other.EventSource, other.AWSRegion = "codecommit.amazonaws.com", "eu-west-1"
		require.NoError(t, f.s.AddAuditEvents(f.ctx, start, get, other))

		all, next := f.lookup(sluice.AuditQuery{})
		require.Empty(t, next)
		require.Equal(t, eventIDs([]*sluice.AuditEvent{other, get, start}), eventIDs(all))
		require.Equal(t, start, all[2], "an event comes back as it was stored, resource names included")
		for _, c := range []struct {
			key   sluice.AuditAttribute
			value string
			want  []*sluice.AuditEvent
		}{
			{sluice.AuditEventName, "GetPipeline", []*sluice.AuditEvent{get}},
			{sluice.AuditUsername, "alice", []*sluice.AuditEvent{other, start}},
			{sluice.AuditAccessKeyID, "AKIAbob", []*sluice.AuditEvent{get}},
			{sluice.AuditEventSource, "codecommit.amazonaws.com", []*sluice.AuditEvent{other}},
			{sluice.AuditReadOnly, "true", []*sluice.AuditEvent{get}},
			{sluice.AuditReadOnly, "false", []*sluice.AuditEvent{other, start}},
			{sluice.AuditResourceType, "AWS::CodePipeline::Pipeline", []*sluice.AuditEvent{get, start}},
			{sluice.AuditResourceName, "app", []*sluice.AuditEvent{get, start}},
			{sluice.AuditResourceName, appResource.ARN, []*sluice.AuditEvent{get, start}},
			{sluice.AuditEventID, start.EventID, []*sluice.AuditEvent{start}},
			{sluice.AuditEventName, "getpipeline", nil}, // exact match
		} {
			got, _ := f.lookup(sluice.AuditQuery{Key: c.key, Value: c.value})
			require.Equal(t, eventIDs(c.want), eventIDs(got), "%s=%s", c.key, c.value)
		}
		inRegion, _ := f.lookup(sluice.AuditQuery{Region: "us-east-1"})
		require.Equal(t, eventIDs([]*sluice.AuditEvent{get, start}), eventIDs(inRegion))
		// Both ends inclusive.
		ranged, _ := f.lookup(sluice.AuditQuery{Start: at(10), End: at(20)})
		require.Equal(t, eventIDs([]*sluice.AuditEvent{get, start}), eventIDs(ranged))
		after, _ := f.lookup(sluice.AuditQuery{Start: at(21)})
		require.Equal(t, eventIDs([]*sluice.AuditEvent{other}), eventIDs(after))
	})

	t.Run("Pages", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		var want []string
		for i := 5; i >= 1; i-- { // the same second twice: the later stored comes first
			e := f.auditEvent("GetPipeline", "alice", i/2)
			require.NoError(t, f.s.AddAuditEvents(f.ctx, e))
			want = append([]string{e.EventID}, want...)
		}
		q := sluice.AuditQuery{Key: sluice.AuditUsername, Value: "alice", Page: sluice.Page{Limit: 2}}
		var got []string
		for {
			evs, next := f.lookup(q)
			got = append(got, eventIDs(evs)...)
			if next == "" {
				break
			}
			q.Token = next
			_, _, err := f.s.LookupAuditEvents(f.ctx, sluice.AuditQuery{Key: sluice.AuditUsername, Value: "bob", Page: q.Page})
			require.True(t, sluice.IsCode(err, sluice.EInvalid), "a token with another query: %v", err)
		}
		require.ElementsMatch(t, want, got)
		require.Len(t, got, 5)
	})

	t.Run("SameEventIDReplacesAndComesAgain", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		e1, e2 := f.auditEvent("UpdatePipeline", "alice", 1), f.auditEvent("GetPipeline", "alice", 2)
		require.NoError(t, f.s.AddAuditEvents(f.ctx, e1, e2))
		done := *e1
		done.ResponseElements = json.RawMessage(`{"pipeline":{"name":"app"}}`)
		require.NoError(t, f.s.AddAuditEvents(f.ctx, &done))
		all, _ := f.lookup(sluice.AuditQuery{Key: sluice.AuditEventID, Value: e1.EventID})
		require.Equal(t, []*sluice.AuditEvent{&done}, all)
		x, err := f.s.AuditEventsAfter(f.ctx, 0, 0)
		require.NoError(t, err)
		require.Len(t, x, 2)
		require.Equal(t, []string{e2.EventID, e1.EventID}, []string{x[0].Event.EventID, x[1].Event.EventID})
		require.Greater(t, x[1].Seq, x[0].Seq)
		rest, err := f.s.AuditEventsAfter(f.ctx, x[0].Seq, 0)
		require.NoError(t, err)
		require.Len(t, rest, 1)
		require.Error(t, f.s.AddAuditEvents(f.ctx, &sluice.AuditEvent{}), "no EventID")
	})

	t.Run("AttachedRecordCommitsWithTheChange", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		ok := sluice.NewAuditRecord(*f.auditEvent("CreateRepository", "alice", 1))
		require.NoError(t, f.s.InTx(sluice.WithAuditRecord(f.ctx, ok), func(x sluice.Executor) error {
			return x.CreateRepository(f.ctx, repository("ok"))
		}))
		_, written := ok.Finish(at(2), nil, "", "")
		require.True(t, written)
		got, _ := f.lookup(sluice.AuditQuery{Key: sluice.AuditEventID, Value: ok.Event().EventID})
		require.Len(t, got, 1)

		failed := sluice.NewAuditRecord(*f.auditEvent("CreateRepository", "alice", 3))
		boom := errors.New("boom")
		err := f.s.InTx(sluice.WithAuditRecord(f.ctx, failed), func(x sluice.Executor) error {
			require.NoError(t, x.CreateRepository(f.ctx, repository("rolled-back")))
			return boom
		})
		require.Same(t, boom, err)
		got, _ = f.lookup(sluice.AuditQuery{Key: sluice.AuditEventID, Value: failed.Event().EventID})
		require.Empty(t, got, "a rolled-back transaction leaves no record")
		_, written = failed.Finish(at(4), nil, "Boom", "boom")
		require.False(t, written, "the surface writes it")

		p := f.createPipeline("app")
		upd := sluice.NewAuditRecord(*f.auditEvent("UpdatePipeline", "alice", 5))
		require.NoError(t, f.s.Update(sluice.WithAuditRecord(f.ctx, upd), "app", func(tx sluice.Tx) error {
			return tx.TagResource(f.ctx, p.ARN, map[string]string{"k": "v"})
		}))
		// A second transaction of the same call does not write it again.
		require.NoError(t, f.s.TagResource(sluice.WithAuditRecord(f.ctx, upd), p.ARN, map[string]string{"k2": "v"}))
		x, err := f.s.AuditEventsAfter(f.ctx, 0, 0)
		require.NoError(t, err)
		require.Equal(t, []string{ok.Event().EventID, upd.Event().EventID}, []string{x[0].Event.EventID, x[1].Event.EventID})
		require.Len(t, x, 2)
	})

	t.Run("PruneOldestFirst", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		old1, old2, young := f.auditEvent("A", "u", 1, appResource), f.auditEvent("B", "u", 2), f.auditEvent("C", "u", 3)
		require.NoError(t, f.s.AddAuditEvents(f.ctx, young, old2, old1))
		n, err := f.s.PruneAuditEvents(f.ctx, at(3), 1)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		left, _ := f.lookup(sluice.AuditQuery{})
		require.Equal(t, eventIDs([]*sluice.AuditEvent{young, old2}), eventIDs(left))
		n, err = f.s.PruneAuditEvents(f.ctx, at(3), 0)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		byRes, _ := f.lookup(sluice.AuditQuery{Key: sluice.AuditResourceName, Value: "app"})
		require.Empty(t, byRes)
	})
}
