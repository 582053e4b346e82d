#!/usr/bin/env bash
# jenkins-worker.sh JENKINS-JOB: waits for one job of the Jenkins custom action type whose
# ProjectName is JENKINS-JOB, runs that Jenkins job through Jenkins's remote build API and
# reports the result, then exits (0 when the build succeeded). Run it in a loop, one per
# Jenkins job:  while :; do ./jenkins-worker.sh app-build; done
#
# Needs bash, the aws CLI (v1 or v2), curl and jq. Settings:
#   SLUICE_URL          the Sluice server (http://127.0.0.1:7080)
#   JENKINS_URL         the Jenkins server (https://jenkins.example.com)
#   JENKINS_USER, JENKINS_API_TOKEN   a Jenkins user and API token allowed to build the job
#   ACTION_TYPE_ID      default category=Build,owner=Custom,provider=Jenkins,version=1
#   POLL_INTERVAL       seconds between polls while no job waits (default 10)
# Sluice API calls are signed with the usual AWS settings (AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY or a profile, and AWS_DEFAULT_REGION).
set -euo pipefail

project=${1:?usage: jenkins-worker.sh JENKINS-JOB}
: "${SLUICE_URL:?set SLUICE_URL to the Sluice server}" "${JENKINS_URL:?set JENKINS_URL to the Jenkins server}"
type_id=${ACTION_TYPE_ID:-category=Build,owner=Custom,provider=Jenkins,version=1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
job=$work/job.json

codepipeline() { aws codepipeline --endpoint-url "$SLUICE_URL" --output json "$@"; }
field() { jq -r "$1" "$job"; }

# artifacts calls Sluice's S3 endpoint with the job's own artifact credentials, path-style,
# through an AWS config file of its own so that no profile's settings get in the way.
artifacts() {
	printf '[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n' >"$work/s3.config"
	env -u AWS_PROFILE -u AWS_DEFAULT_PROFILE AWS_CONFIG_FILE="$work/s3.config" AWS_SHARED_CREDENTIALS_FILE=/dev/null \
		AWS_ACCESS_KEY_ID="$(field .data.artifactCredentials.accessKeyId)" \
		AWS_SECRET_ACCESS_KEY="$(field .data.artifactCredentials.secretAccessKey)" \
		AWS_SESSION_TOKEN="$(field .data.artifactCredentials.sessionToken)" \
		aws s3api --endpoint-url "$SLUICE_URL/s3" "$@" >/dev/null
}

jenkins_auth=()
if [ -n "${JENKINS_USER:-}" ]; then jenkins_auth=(-u "$JENKINS_USER:${JENKINS_API_TOKEN:-}"); fi
jenkins() { curl -fsS ${jenkins_auth[@]+"${jenkins_auth[@]}"} "$@"; }

# fail reports the job failed, with the build number once there is one, and exits.
fail() {
	trap - ERR
	codepipeline put-job-failure-result --job-id "$job_id" --failure-details "$(jq -nc --arg m "$1" --arg n "${build:-}" \
		'{type: "JobFailed", message: $m} + if $n == "" then {} else {externalExecutionId: $n} end')" >/dev/null
	echo "job $job_id: $1" >&2
	exit 1
}

# 1. Poll for a job of this Jenkins job: the ProjectName query gives this worker only its own.
until codepipeline poll-for-jobs --action-type-id "$type_id" --max-batch-size 1 \
	--query-param "ProjectName=$project" --query 'jobs[0]' >"$job" && [ "$(field .id)" != null ]; do
	sleep "${POLL_INTERVAL:-10}"
done
job_id=$(field .id)

# 2. Acknowledge it: when two workers got the same job, only the first to acknowledge runs it.
codepipeline acknowledge-job --job-id "$job_id" --nonce "$(field .nonce)" >/dev/null
trap 'fail "jenkins-worker.sh stopped at line $LINENO"' ERR

# 3. Fetch the input artifact (a zip) and start the build with it as file parameter SOURCE_ZIP.
form=()
if [ "$(field '.data.inputArtifacts | length')" -gt 0 ]; then
	artifacts get-object --bucket "$(field '.data.inputArtifacts[0].location.s3Location.bucketName')" \
		--key "$(field '.data.inputArtifacts[0].location.s3Location.objectKey')" "$work/source.zip"
	form=(-F "SOURCE_ZIP=@$work/source.zip")
fi
queued=$(jenkins -X POST ${form[@]+"${form[@]}"} -o /dev/null -D - "$JENKINS_URL/job/$project/buildWithParameters" |
	tr -d '\r' | sed -n 's/^[Ll]ocation: *//p')
[ -n "$queued" ] || fail "Jenkins did not queue a build of $project"

# 4. Wait for the queued build to get its number, then for it to finish.
until build=$(jenkins "${queued%/}/api/json" | jq -er '.executable.number'); do sleep 2; done
until result=$(jenkins "$JENKINS_URL/job/$project/$build/api/json" | jq -er 'select(.building == false) | .result'); do
	sleep 5
done
[ "$result" = SUCCESS ] || fail "Jenkins build $build of $project ended $result"

# 5. Store the build's archived artifacts (Jenkins zips them under archive/) as the output.
if [ "$(field '.data.outputArtifacts | length')" -gt 0 ]; then
	jenkins -o "$work/archive.zip" "$JENKINS_URL/job/$project/$build/artifact/*zip*/archive.zip"
	artifacts put-object --bucket "$(field '.data.outputArtifacts[0].location.s3Location.bucketName')" \
		--key "$(field '.data.outputArtifacts[0].location.s3Location.objectKey')" --body "$work/archive.zip"
fi

# 6. Report: the build number is the external execution id the console links to.
codepipeline put-job-success-result --job-id "$job_id" \
	--execution-details "summary=Jenkins build $build succeeded,externalExecutionId=$build,percentComplete=100" >/dev/null
echo "job $job_id: Jenkins build $build of $project succeeded"
