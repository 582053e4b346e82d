// Package sluice is the domain vocabulary of Sluice, a self-hosted continuous delivery service
// that speaks the AWS CodePipeline API: pipeline declarations (with the model's JSON field
// names), executions and their stage and action runs, jobs, statuses and their legal values,
// the closed set of errors, and the ports (Store, ArtifactStore, Provider, Clock) that adapters
// implement. It imports nothing but the standard library.
package sluice
