// Package validate checks a pipeline declaration the way CreatePipeline and UpdatePipeline do:
// first the API model's shape constraints (lengths, patterns, enums, list sizes, required
// members, read from the API model embedded in model/, never restated by hand), all reported
// at once as a ValidationException in AWS's classic wording; then the
// semantic rules of SEMANTICS §3.1, reporting the first violation found with the exception
// code CodePipeline uses for it. It also resolves the pipeline variables an execution starts
// with (§5.2).
//
// Where the real service is more lenient than its model or documentation, or where the
// documentation is unsure, the checks lean towards accepting: Sluice must never reject a
// pipeline AWS accepts. Each such choice is commented where it is made.
package validate
