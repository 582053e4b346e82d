package sluice

import "strings"

// WorkerKind says where the worker holding a job runs, which decides who settles the job
// when its holder goes away.
type WorkerKind string

const (
	// WorkerLocal is a server's in-process pool: its jobs die with that server, which fails
	// them when it starts again.
	WorkerLocal WorkerKind = "local"
	// WorkerRemote is a `sluice worker` process or any other PollForJobs client: it runs on
	// while servers restart, and only its lease judges it.
	WorkerRemote WorkerKind = "remote"
	// WorkerCustom is a custom action's job worker, named by the principal that polled
	// (PollForJobs): its own lease judges it, and a restarting server leaves its jobs alone.
	WorkerCustom WorkerKind = "custom"
	// WorkerLambda is a server's Lambda invoker: the functions it invoked report through the
	// API whichever server answers, and their result window judges them.
	WorkerLambda WorkerKind = "lambda"
)

// WorkerID names the holder of a job's lease. Job.Worker and ClaimParams.Worker hold its
// String form; ParseWorkerID reads it back.
type WorkerID struct {
	Kind WorkerKind
	// Server is the id of the server whose pool or invoker holds the job (local and lambda
	// workers). It is empty for remote workers, and for jobs held before servers had ids.
	Server string
	// Name tells the workers of one kind and server apart: a process start's id, or the
	// name a remote worker gives itself.
	Name string
}

// LocalWorker is the in-process pool name of server.
func LocalWorker(server, name string) WorkerID {
	return WorkerID{Kind: WorkerLocal, Server: server, Name: name}
}

// RemoteWorker is a worker outside every server, by the name it gives.
func RemoteWorker(name string) WorkerID { return WorkerID{Kind: WorkerRemote, Name: name} }

// CustomWorker is the job worker of custom actions that polls as principal.
func CustomWorker(principal string) WorkerID { return WorkerID{Kind: WorkerCustom, Name: principal} }

// LambdaWorker is the Lambda invoker name of server.
func LambdaWorker(server, name string) WorkerID {
	return WorkerID{Kind: WorkerLambda, Server: server, Name: name}
}

// String is "kind:server:name", or "kind:name" without a server (remote and custom
// workers, whose names may hold colons).
func (w WorkerID) String() string {
	if w.Server == "" {
		return string(w.Kind) + ":" + w.Name
	}
	return string(w.Kind) + ":" + w.Server + ":" + w.Name
}

// ParseWorkerID reads a Job.Worker. The kind is the text up to the first colon; only local
// and lambda workers carry a server id, and one without ("local:<id>", written before
// servers had ids) has an empty Server. A string without a colon is a Name of no kind.
func ParseWorkerID(s string) WorkerID {
	kind, rest, ok := strings.Cut(s, ":")
	if !ok {
		return WorkerID{Name: s}
	}
	w := WorkerID{Kind: WorkerKind(kind), Name: rest}
	if w.Kind == WorkerLocal || w.Kind == WorkerLambda {
		if server, name, ok := strings.Cut(rest, ":"); ok {
			w.Server, w.Name = server, name
		}
	}
	return w
}
