#!/usr/bin/env python3
"""A function for Sluice's Invoke/AWS/Lambda actions: a small HTTP server (needs boto3).

Sluice POSTs the CodePipeline job event, as Lambda receives it. The function checks the
signature, answers 202 at once, then does the work and reports with PutJobSuccessResult or
PutJobFailureResult, exactly as a Lambda function does. This one counts the files of its
input artifacts and returns that count and its UserParameters as output variables.

Environment: FN_SECRET (the secret `sluice functions put` printed), SLUICE_URL (the server),
AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (a Sluice access key), PORT (default 8080).
"""
import hashlib
import hmac
import io
import json
import os
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
from botocore.config import Config

SLUICE = os.environ["SLUICE_URL"]
SECRET = os.environ["FN_SECRET"].encode()
codepipeline = boto3.client("codepipeline", endpoint_url=SLUICE, region_name="us-east-1")


def handler(job):
    """What a Lambda handler does with event["CodePipeline.job"]."""
    data = job["data"]
    try:
        params = data["actionConfiguration"]["configuration"].get("UserParameters", "")
        creds = data["artifactCredentials"]  # this job's own: read its inputs, write its outputs
        s3 = boto3.client("s3", endpoint_url=SLUICE + "/s3", region_name="us-east-1",
                          aws_access_key_id=creds["accessKeyId"],
                          aws_secret_access_key=creds["secretAccessKey"],
                          aws_session_token=creds["sessionToken"],
                          config=Config(s3={"addressing_style": "path"}))
        files = 0
        for artifact in data["inputArtifacts"]:
            loc = artifact["location"]["s3Location"]
            body = s3.get_object(Bucket=loc["bucketName"], Key=loc["objectKey"])["Body"].read()
            files += len(zipfile.ZipFile(io.BytesIO(body)).namelist())
        codepipeline.put_job_success_result(
            jobId=job["id"], outputVariables={"Params": params, "Files": str(files)})
    except Exception as e:  # every failure is reported, or the action fails after 20 minutes
        codepipeline.put_job_failure_result(
            jobId=job["id"], failureDetails={"type": "JobFailed", "message": str(e)[:5000]})


class Invocations(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        sent = self.headers.get("X-Sluice-Timestamp", "")
        signed = sent.encode() + b"." + body  # the time is signed: an old event is a replay
        signature = "sha256=" + hmac.new(SECRET, signed, hashlib.sha256).hexdigest()
        if (not hmac.compare_digest(signature, self.headers.get("X-Sluice-Signature", ""))
                or not sent.isdigit() or abs(time.time() - int(sent)) > 300):
            self.send_response(401)
            self.end_headers()
            return
        self.send_response(202)  # accepted: the result follows through the API
        self.end_headers()
        threading.Thread(target=handler, args=(json.loads(body)["CodePipeline.job"],)).start()


port = int(os.environ.get("PORT", "8080"))
server = ThreadingHTTPServer(("127.0.0.1", port), Invocations)
print("listening on", port, flush=True)
server.serve_forever()
