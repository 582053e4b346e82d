"""boto3's side of node's TestSweep.

Reads one call a line on stdin, {"op": "ListPipelines", "input": {...}} in the model's
member names, makes it with a boto3 client of the server at SWEEP_ENDPOINT (credentials from
the environment), checks the raw answer against botocore's model of the operation's output
and writes one line: {"problems": [...]} or {"error": "..."}. A line with "answer" instead
of "input" checks that answer without calling. Ends at the end of its input.
"""
import json
import os
import sys

import boto3
import botocore
import botocore.exceptions

client = boto3.client("codepipeline", endpoint_url=os.environ["SWEEP_ENDPOINT"], region_name="us-east-1")
model = client.meta.service_model
raw = {}


def keep_body(http_response, **_):
    raw["body"] = http_response.content


client.meta.events.register("after-call.codepipeline", keep_body)


def walk(shape, value, path, problems):
    """Appends to problems how value departs from shape: members outside it, required
    members missing, nulls, wrong JSON types, strings outside the enum."""
    def bad(what):
        problems.append(f"{path}: {what}")

    if value is None:
        bad("null (a member without a value is left out)")
        return
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return bad(f"{type(value).__name__}, want an object ({shape.name})")
        for name in shape.required_members:
            if name not in value:
                bad(f"required member {name} missing")
        for name, member in value.items():
            if name not in shape.members:
                bad(f"member {name} is not in {shape.name}")
            else:
                walk(shape.members[name], member, f"{path}.{name}", problems)
    elif kind == "list":
        if not isinstance(value, list):
            return bad(f"{type(value).__name__}, want an array ({shape.name})")
        for i, item in enumerate(value):
            walk(shape.member, item, f"{path}[{i}]", problems)
    elif kind == "map":
        if not isinstance(value, dict):
            return bad(f"{type(value).__name__}, want an object ({shape.name})")
        for key, item in value.items():
            walk(shape.value, item, f"{path}.{key}", problems)
    elif kind == "string":
        if not isinstance(value, str):
            bad(f"{type(value).__name__}, want a string ({shape.name})")
        elif shape.enum and value not in shape.enum:
            bad(f"{json.dumps(value)} is not one of {shape.name}'s {shape.enum}")
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            bad(f"{value!r}, want an integer ({shape.name})")
    elif kind == "timestamp":  # JSON 1.1 sends epoch seconds
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            bad(f"{value!r}, want epoch seconds ({shape.name})")
    elif kind == "boolean":
        if not isinstance(value, bool):
            bad(f"{value!r}, want a boolean ({shape.name})")
    else:
        bad(f"the sweep does not know shape type {kind}")


def problems_of(op):
    """How the raw answer to op departs from the model's output shape."""
    body = raw.pop("body", None)
    if body is None:
        return ["no answer was kept"]
    output = model.operation_model(op).output_shape
    text = body.decode("utf-8").strip()
    if output is None:
        return [] if text in ("", "{}") else [f"no output in the model, answered {text}"]
    problems = []
    try:
        walk(output, json.loads(text), op + "Output", problems)
    except ValueError as e:
        problems.append(f"the body is not JSON: {e}")
    return problems


def call(op, params):
    method = getattr(client, botocore.xform_name(op))
    try:
        method(**params)
    except botocore.exceptions.ClientError as e:
        err = e.response.get("Error", {})
        return {"error": f"{err.get('Code')}: {err.get('Message')}"}
    except (botocore.exceptions.BotoCoreError, ValueError, TypeError) as e:
        return {"error": f"{type(e).__name__}: {e}"}
    return {"problems": problems_of(op)}


for line in sys.stdin:
    request = json.loads(line)
    if "answer" in request:  # checks a given answer, so the test can see the check catch
        raw["body"] = request["answer"].encode("utf-8")
        print(json.dumps({"problems": problems_of(request["op"])}), flush=True)
    else:
        print(json.dumps(call(request["op"], request["input"])), flush=True)
