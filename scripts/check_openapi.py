#!/usr/bin/env python3
"""Check the emulator's responses against the published Edge API OpenAPI descriptions.

Usage: scripts/check_openapi.py OPENAPI_DIR [--binary PATH]

Starts `scoville sandbox serve --port 0` (built with `cargo build` unless --binary is given)
with a throw-away state file, calls every operation of src/edge/ops.rs through a realistic
sequence (reads, then every write, then documented errors), and validates:

- every JSON response body against the 200 response schema of the same method and path in
  OPENAPI_DIR/*.yml; operations the files do not describe (assumed in NOTES.md) against the
  component schema NOTES.md implies (ASSUMED_RESPONSES below), or against `{}` when the
  operation has no documented answer;
- every JSON error against the operation's `default` error schema ({errorCode, errorMessage,
  arguments}), and `400` answers as text/plain `Invalid value for: ...`;
- every request body it sends against the operation's published request schema, so the
  sequence exercises valid calls;
- that every operation of src/edge/ops.rs was called and answered 200 at least once.

The validator is small and written here: $ref (within a file), oneOf with a discriminator
(the mapped branch must match), oneOf without one (at least one branch must match: the
published DataObject lists several plain-string alternatives that all match any string, so
exclusive oneOf would refuse every valid document), anyOf, allOf, type, required,
properties, additionalProperties, items, enum, const, minimum, maximum, exclusiveMinimum,
exclusiveMaximum, minItems, maxItems, uniqueItems, minLength, maxLength, pattern, and the
date, date-time, int32 and int64 formats.

Needs Python 3.9+ and PyYAML; when PyYAML is missing the script makes a virtualenv under
.scoville/ (git-ignored), installs it from PyPI there and re-runs itself.

Exit status: 0 when everything matched, 1 on any mismatch, 2 on usage or setup errors.
"""

import datetime
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ensure_yaml():
    try:
        import yaml  # noqa: F401

        return
    except ImportError:
        pass
    venv = os.path.join(REPO, ".scoville", "check-openapi-venv")
    python = os.path.join(venv, "bin", "python")
    if os.environ.get("SCOVILLE_CHECK_OPENAPI_VENV") == "1":
        sys.exit("error: PyYAML is still missing inside the virtualenv: delete " + venv)
    if not os.path.exists(python):
        print(f"PyYAML is missing: installing it into {venv}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "pyyaml"], check=True)
    env = dict(os.environ, SCOVILLE_CHECK_OPENAPI_VENV="1")
    os.execve(python, [python] + sys.argv, env)


# ---------------------------------------------------------------------------------------------
# Schema validation


class Validator:
    """Validates JSON values against the schemas of one OpenAPI document."""

    def __init__(self, document, name):
        self.document = document
        self.name = name

    def resolve(self, schema):
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema:
            ref = schema["$ref"]
            if not ref.startswith("#/"):
                raise ValueError(f"{self.name}: external $ref {ref} is not supported")
            target = self.document
            for part in ref[2:].split("/"):
                target = target[part]
            extra = {k: v for k, v in schema.items() if k != "$ref"}
            schema = dict(target, **extra) if extra else target
            seen += 1
            if seen > 50:
                raise ValueError(f"{self.name}: $ref loop at {ref}")
        return schema

    def errors(self, value, schema, path="$"):
        """Every mismatch, as `path: message` strings."""
        schema = self.resolve(schema)
        if schema is True or schema is None or schema == {}:
            return []
        if schema is False:
            return [f"{path}: no value is allowed here"]
        out = []
        if "oneOf" in schema:
            out += self.one_of(value, schema, path)
        if "anyOf" in schema:
            if not any(not self.errors(value, s, path) for s in schema["anyOf"]):
                out.append(f"{path}: matches none of anyOf")
        for sub in schema.get("allOf", []):
            out += self.errors(value, sub, path)
        if "const" in schema and value != schema["const"]:
            out.append(f"{path}: {value!r} is not the constant {schema['const']!r}")
        if "enum" in schema and value not in schema["enum"]:
            out.append(f"{path}: {value!r} is not one of {schema['enum']}")
        kind = schema.get("type")
        if kind is not None and not self.has_type(value, kind):
            return out + [f"{path}: {json.dumps(value)[:80]} is not of type {kind}"]
        if isinstance(value, bool):
            return out
        if isinstance(value, (int, float)):
            out += self.number(value, schema, path)
        elif isinstance(value, str):
            out += self.string(value, schema, path)
        elif isinstance(value, list):
            out += self.array(value, schema, path)
        elif isinstance(value, dict):
            out += self.object(value, schema, path)
        return out

    @staticmethod
    def has_type(value, kind):
        kinds = kind if isinstance(kind, list) else [kind]
        for k in kinds:
            if k == "object" and isinstance(value, dict):
                return True
            if k == "array" and isinstance(value, list):
                return True
            if k == "string" and isinstance(value, str):
                return True
            if k == "boolean" and isinstance(value, bool):
                return True
            if k == "null" and value is None:
                return True
            if k == "integer" and isinstance(value, int) and not isinstance(value, bool):
                return True
            if k == "integer" and isinstance(value, float) and value.is_integer():
                return True
            if k == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
                return True
        return False

    def one_of(self, value, schema, path):
        discriminator = schema.get("discriminator")
        if discriminator:
            prop = discriminator["propertyName"]
            if not isinstance(value, dict) or prop not in value:
                return [f"{path}: the discriminator `{prop}` is missing"]
            tag = value[prop]
            mapping = discriminator.get("mapping", {})
            if tag in mapping:
                return self.errors(value, {"$ref": mapping[tag]}, path)
            # Without a mapping entry, the branch whose title or const names the tag.
            for branch in schema["oneOf"]:
                resolved = self.resolve(branch)
                const = resolved.get("properties", {}).get(prop, {}).get("const")
                if const == tag:
                    return self.errors(value, branch, path)
            return [f"{path}: `{prop}` {tag!r} names no oneOf branch"]
        if any(not self.errors(value, branch, path) for branch in schema["oneOf"]):
            return []
        return [f"{path}: {json.dumps(value)[:80]} matches no oneOf branch"]

    def number(self, value, schema, path):
        out = []
        if "minimum" in schema and value < schema["minimum"]:
            out.append(f"{path}: {value} < minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            out.append(f"{path}: {value} > maximum {schema['maximum']}")
        low = schema.get("exclusiveMinimum")
        if isinstance(low, (int, float)) and not isinstance(low, bool) and value <= low:
            out.append(f"{path}: {value} <= exclusiveMinimum {low}")
        high = schema.get("exclusiveMaximum")
        if isinstance(high, (int, float)) and not isinstance(high, bool) and value >= high:
            out.append(f"{path}: {value} >= exclusiveMaximum {high}")
        fmt = schema.get("format")
        if fmt == "int32" and not -(2**31) <= value < 2**31:
            out.append(f"{path}: {value} is out of int32 range")
        if fmt == "int64" and not -(2**63) <= value < 2**63:
            out.append(f"{path}: {value} is out of int64 range")
        return out

    def string(self, value, schema, path):
        out = []
        if "minLength" in schema and len(value) < schema["minLength"]:
            out.append(f"{path}: {value!r} is shorter than {schema['minLength']}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            out.append(f"{path}: {value!r} is longer than {schema['maxLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            out.append(f"{path}: {value!r} does not match /{schema['pattern']}/")
        fmt = schema.get("format")
        if fmt == "date-time":
            try:
                datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
                if "T" not in value:
                    raise ValueError
            except ValueError:
                out.append(f"{path}: {value!r} is not an RFC 3339 date-time")
        if fmt == "date":
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                out.append(f"{path}: {value!r} is not a date")
        return out

    def array(self, value, schema, path):
        out = []
        if "minItems" in schema and len(value) < schema["minItems"]:
            out.append(f"{path}: {len(value)} items, fewer than {schema['minItems']}")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            out.append(f"{path}: {len(value)} items, more than {schema['maxItems']}")
        if schema.get("uniqueItems"):
            keys = [json.dumps(v, sort_keys=True) for v in value]
            if len(set(keys)) != len(keys):
                out.append(f"{path}: items are not unique")
        if "items" in schema:
            for i, item in enumerate(value):
                out += self.errors(item, schema["items"], f"{path}[{i}]")
        return out

    def object(self, value, schema, path):
        out = []
        for name in schema.get("required", []):
            if name not in value:
                out.append(f"{path}: required property `{name}` is missing")
        properties = schema.get("properties", {})
        additional = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in properties:
                out += self.errors(item, properties[name], f"{path}.{name}")
            elif additional is False:
                out.append(f"{path}: property `{name}` is not allowed")
            elif isinstance(additional, dict):
                out += self.errors(item, additional, f"{path}.{name}")
        return out


# ---------------------------------------------------------------------------------------------
# The published descriptions


class Spec:
    """Every operation of every file in the folder, by method and path template."""

    def __init__(self, folder):
        import yaml

        self.operations = {}
        self.validators = {}
        files = sorted(f for f in os.listdir(folder) if f.endswith((".yml", ".yaml")))
        if not files:
            raise SystemExit(f"error: no *.yml files in {folder}")
        for name in files:
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                document = yaml.safe_load(handle)
            validator = Validator(document, name)
            self.validators[name] = validator
            for path, item in (document.get("paths") or {}).items():
                for method, operation in item.items():
                    if method.upper() in ("GET", "POST", "PUT", "DELETE", "PATCH"):
                        self.operations[(method.upper(), path)] = (validator, operation)

    def operation(self, method, template):
        return self.operations.get((method, template))

    def component(self, file_name, schema_name):
        validator = self.validators.get(file_name)
        if validator is None:
            return None
        schema = validator.document.get("components", {}).get("schemas", {}).get(schema_name)
        if schema is None:
            return None
        return validator, {"$ref": f"#/components/schemas/{schema_name}"}


def json_schema_of(content):
    if not content:
        return None
    media = content.get("application/json")
    return media.get("schema") if media else None


# Operations the published files do not describe: the schema NOTES.md implies for their
# answer, as (file, component). `None` means the answer is `{}` (or `{"status": "ok"}`).
ASSUMED_RESPONSES = {
    "health": None,
    "workspace-remove-users-all": None,
    "user-invite": ("user.yml", "User"),
    "distribution-update": ("distribution.yml", "CreateDistributionResponse"),
    "distribution-delete": None,
    "distribution-settings-update": ("distribution.yml", "WorkspaceDistributionSettings"),
    "rule-get": ("rule.yml", "RuleView_2"),
    "rule-modify": ("rule.yml", "RuleView_2"),
    "rule-delete": None,
}

# Request bodies of assumed operations, checked against the component NOTES.md implies. The
# published user-update-licenses body is garbled (NOTES.md), so the assumed one replaces it.
ASSUMED_REQUESTS = {
    "user-update-licenses": {
        "type": "object",
        "required": ["update"],
        "properties": {"update": {"type": "object", "additionalProperties": {
            "type": "object",
            "required": ["distro", "chiliCalOrg", "concierge", "conciergeLive", "chat", "handoff"],
            "additionalProperties": {"type": "boolean"},
        }}},
    },
    "distribution-update": ("distribution.yml", "CreateDistributionRequest"),
    "distribution-settings-update": ("distribution.yml", "WorkspaceDistributionSettings"),
}

# The error schema when an operation is not in the files: the same in every file.
ERROR_SCHEMA = {
    "type": "object",
    "required": ["errorCode", "errorMessage"],
    "properties": {
        "errorCode": {"type": "string"},
        "errorMessage": {"type": "string"},
        "arguments": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}


def read_ops_table():
    """(id, method, path) of every operation in src/edge/ops.rs."""
    with open(os.path.join(REPO, "src", "edge", "ops.rs"), encoding="utf-8") as handle:
        text = handle.read()
    found = re.findall(
        r'op\(\s*"([a-z-]+)",\s*(Get|Post|Put|Delete),\s*"([^"]+)"', text
    )
    return [(op_id, method.upper(), path) for op_id, method, path in found]


# ---------------------------------------------------------------------------------------------
# Talking to the emulator


class Emulator:
    def __init__(self, binary):
        self.state_dir = tempfile.TemporaryDirectory(prefix="scoville-openapi-check-")
        state = os.path.join(self.state_dir.name, "state.json")
        self.process = subprocess.Popen(
            [binary, "sandbox", "serve", "--port", "0", "--state", state],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.base_url = None
        deadline = time.time() + 60
        while time.time() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            match = re.search(r"base URL\s+(\S+)", line)
            if match:
                self.base_url = match.group(1)
                break
        if self.base_url is None:
            self.stop()
            raise SystemExit("error: `scoville sandbox serve` did not print its base URL")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.state_dir.cleanup()


class Checker:
    def __init__(self, spec, emulator, token):
        self.spec = spec
        self.emulator = emulator
        self.token = token
        self.ops = {op_id: (method, path) for op_id, method, path in read_ops_table()}
        self.mismatches = []
        self.checked = []
        self.succeeded = set()

    def fail(self, what):
        self.mismatches.append(what)
        print(f"MISMATCH {what}", file=sys.stderr)

    def call(self, op_id, values=(), query=None, body=None, token="default", expect=200):
        method, template = self.ops[op_id]
        path = template
        for value in values:
            path = re.sub(r"\{[^}]+\}", value, path, count=1)
        url = self.emulator.base_url + path
        if query:
            url += "?" + "&".join(f"{k}={urllib.request.quote(str(v))}" for k, v in query.items())
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        token = self.token if token == "default" else token
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, content_type, text = response.status, response.headers.get("Content-Type", ""), response.read().decode()
        except urllib.error.HTTPError as error:
            status, content_type, text = error.code, error.headers.get("Content-Type", ""), error.read().decode()
        label = f"{op_id} {method} {path} -> {status}"
        if status != expect:
            self.fail(f"{label}: expected {expect}: {text[:200]}")
        if expect != 400:
            # Bodies sent to provoke a 400 are invalid on purpose.
            self.check_request(op_id, method, template, body, label)
        self.check_response(op_id, method, template, status, content_type, text, label)
        if status == 200:
            self.succeeded.add(op_id)
        return json.loads(text) if content_type.startswith("application/json") else text

    def check_request(self, op_id, method, template, body, label):
        if body is None or isinstance(body, bytes):
            return
        found = self.spec.operation(method, template)
        target = None
        assumed = ASSUMED_REQUESTS.get(op_id)
        if isinstance(assumed, dict):
            target = (Validator({}, "assumed"), assumed)
        elif found:
            validator, operation = found
            schema = json_schema_of((operation.get("requestBody") or {}).get("content"))
            if schema is not None:
                target = (validator, schema)
        elif assumed:
            target = self.spec.component(*assumed)
        if target:
            validator, schema = target
            for error in validator.errors(body, schema, "request"):
                self.fail(f"{label}: {error}")

    def check_response(self, op_id, method, template, status, content_type, text, label):
        found = self.spec.operation(method, template)
        if status == 400:
            if not content_type.startswith("text/plain") or not text.startswith("Invalid value for: "):
                self.fail(f"{label}: a 400 must be text/plain `Invalid value for: ...`, got {content_type} {text[:80]}")
            self.checked.append(f"{label} (text/plain)")
            return
        if not content_type.startswith("application/json"):
            self.fail(f"{label}: content type {content_type!r} is not JSON")
            return
        value = json.loads(text)
        if status != 200:
            schema = ERROR_SCHEMA
            validator = Validator({}, "error")
            if found:
                validator, operation = found
                default = json_schema_of(operation.get("responses", {}).get("default", {}).get("content"))
                schema = default if default is not None else ERROR_SCHEMA
            for error in validator.errors(value, schema, "response"):
                self.fail(f"{label}: {error}")
            self.checked.append(f"{label} (error schema)")
            return
        target = None
        how = ""
        if found:
            validator, operation = found
            schema = json_schema_of(operation.get("responses", {}).get("200", {}).get("content"))
            if schema is not None:
                target, how = (validator, schema), f"{validator.name} 200"
            else:
                how = f"{validator.name}: no 200 body documented, expects {{}}"
        elif op_id in ASSUMED_RESPONSES and ASSUMED_RESPONSES[op_id] is not None:
            file_name, component = ASSUMED_RESPONSES[op_id]
            target = self.spec.component(file_name, component)
            if target is None:
                self.fail(f"{label}: {file_name} has no component {component}")
                return
            how = f"assumed: {file_name} {component}"
        elif op_id in ASSUMED_RESPONSES:
            how = "assumed: no documented body, expects an object"
        else:
            self.fail(f"{label}: the OpenAPI files do not describe this operation")
            return
        if target is None:
            if not isinstance(value, dict) or (value and op_id != "health"):
                self.fail(f"{label}: expected {{}}, got {text[:80]}")
        else:
            validator, schema = target
            for error in validator.errors(value, schema, "response"):
                self.fail(f"{label}: {error}")
        self.checked.append(f"{label} ({how})")


def run_sequence(c):
    """Every operation's success path, then documented errors."""
    c.call("tenant-get")
    c.call("health")
    workspaces = {w["name"]: w["id"] for w in c.call("workspace-list", query={"pageSize": 100})["results"]}
    sales, success, partners = workspaces["Sales"], workspaces["Customer Success"], workspaces["Partnerships"]
    users = {u["email"]: u["id"] for u in c.call("workspace-list-users", query={"pageSize": 100})["results"]}
    c.call("workspace-list-users", query={"workspaceId": sales, "page": 0, "pageSize": 5})
    user = lambda first: next(i for e, i in users.items() if e.startswith(first + "."))
    c.call("user-find", query={"query": "patel"})
    c.call("user-find-by-ids", query={"pageSize": 10}, body=[user("liam"), user("mia")])
    teams = {t["name"]: t["id"] for t in c.call("team-list", body={"pageSize": 100})["results"]}
    c.call("team-list", body={"workspaceIds": [sales], "name": "ae", "member": [user("harper")], "page": 0, "pageSize": 10})
    distributions = c.call("distribution-list", body={"pageSize": 100})["results"]
    c.call("distribution-list", body={"workspaceIds": [sales], "assignmentType": "Meeting", "name": "inbound", "page": 0, "pageSize": 10})
    settings = c.call("distribution-settings-get", query={"workspaceId": sales})
    rules = c.call("rule-list", query={"pageSize": 100})["results"]
    c.call("rule-list", query={"workspaceId": sales, "name": "owner"})
    for rule in rules:
        c.call("rule-get", [rule["id"]])

    team = c.call("team-create", body={"workspaceId": sales, "name": "mid-market-ae", "members": [user("harper"), user("elijah")]})
    c.call("team-add-users", body={"teamId": team["id"], "userIds": [user("evelyn"), user("harper")]})
    c.call("team-remove-users", body={"teamId": team["id"], "userIds": [user("evelyn")]})
    olivia = c.call("user-invite", body={"email": "olivia.reyes@acme.example", "name": "Olivia Reyes", "workspaceIds": [sales]})
    c.call("user-update-licenses", body={"update": {olivia["id"]: {"distro": True, "chiliCalOrg": True, "concierge": False, "conciergeLive": False, "chat": False, "handoff": False}}})
    c.call("workspace-add-users", body={"workspaceId": partners, "userIds": [olivia["id"]]})
    c.call("workspace-remove-users", body={"workspaceId": partners, "userIds": [olivia["id"]]})
    c.call("user-find-by-ids", body=[olivia["id"]])
    write = {
        "teamId": team["id"], "workspaceId": sales, "name": "Mid-market Leads",
        "assignmentTypeConfig": {"type": "Meeting", "handling": {"type": "Strict", "hideAssignee": True},
                                 "limits": {"type": "MeetingLimitSet", "userCaps": [{"userId": user("harper"), "limit": 3}],
                                            "resetPeriodicity": {"type": "Weekly", "every": 1, "startsOn": "2026-01-05", "resetDayOfWeek": "MONDAY", "timezone": "Europe/Paris"}}},
        "weights": [{"userId": user("harper"), "weight": 100}, {"userId": user("elijah"), "weight": 0}],
        "manualCalibration": [{"userId": user("harper"), "calibration": 2}],
        "capping": {"userCaps": [{"userId": user("elijah"), "limit": 9}], "resetPeriodicity": {"type": "HourlyRolling"}},
    }
    created = c.call("distribution-create", body=write)
    c.call("distribution-list", body={"name": "Mid-market"})
    write["weights"][1]["weight"] = 10000
    write["assignmentTypeConfig"] = {"type": "Record", "handling": {"type": "WorkingHours"}}
    c.call("distribution-update", [created["distributionId"]], body=write)
    c.call("distribution-list", body={"name": "Mid-market"})
    settings["creditBackNoShow"] = not settings["creditBackNoShow"]
    settings["resetPeriodicity"] = {"type": "Yearly", "monthOfYear": 2, "timeZone": "Asia/Tokyo"}
    c.call("distribution-settings-update", query={"workspaceId": sales}, body=settings)
    c.call("distribution-settings-get", query={"workspaceId": sales})

    group = lambda conditions: {"type": "ConditionGroup", "id": "g1", "name": "top", "operator": "or", "conditions": conditions}
    reference = {"source": "SF", "object": "Lead", "field": "CreatedDate"}
    standard = c.call("rule-create", body={"dto": {"type": "CreateRuleRequest", "workspaceId": sales, "name": "Every kind", "conditions": group([
        {"type": "StaticValueCondition", "conditionId": "c1", "dataReference": {"source": "SF", "object": "Lead", "field": "Country"}, "operator": "isNotAnyOf", "value": ["US"]},
        {"type": "SingleParameterCondition", "conditionId": "c2", "dataReference": {"source": "HS", "object": "Contact", "field": "email"}, "operator": "empty"},
        {"type": "ValueCondition", "conditionId": "c3", "lhsReference": {"source": "SF", "object": "Lead", "field": "Email"}, "operator": "equal", "rhsReference": {"source": "SF", "object": "MatchedContact", "field": "Email"}},
        {"type": "ObjectExistsCondition", "conditionId": "c4", "reference": {"source": "SF", "object": "MatchedAccount"}, "exists": True},
        {"type": "EvaluableCondition", "conditionId": "c5", "dataReference": reference, "operator": ">=", "evaluable": {"type": "RelativeWeek", "offset": -1, "length": 1, "timeZone": "UTC"}},
        group([{"type": "StaticValueCondition", "conditionId": "c6", "dataReference": {"source": "DF", "object": "Form", "field": "size"}, "operator": ">", "value": 10}]),
    ])}})
    ownership = c.call("rule-create", body={"dto": {"type": "CreateOwnershipRuleRequest", "workspaceId": sales, "teamId": team["id"], "name": "Mid-market owner", "conditions": group([
        {"type": "OwnershipCondition", "conditionId": "o1", "ownership": {"source": "SF", "object": "Account", "field": "OwnerId"}, "teamId": team["id"], "searchOwnershipBy": "TeamMemberFullNames"},
    ])}})
    c.call("rule-get", [ownership["id"]])
    modified = c.call("rule-modify", [standard["id"]], body={"name": "Every kind (edited)", "conditions": standard["conditions"], "revision": 1})
    c.call("rule-modify", [ownership["id"]], body={"name": "Owner", "conditions": ownership["conditions"], "revision": 1, "teamId": team["id"]})
    c.call("rule-list", query={"workspaceId": sales})

    # Documented errors, checked against the error schemas.
    c.call("rule-modify", [standard["id"]], body={"name": "x", "conditions": standard["conditions"], "revision": 1}, expect=409)
    c.call("rule-delete", [standard["id"]], query={"revision": 1}, expect=409)
    c.call("rule-delete", [standard["id"]], query={"revision": modified["metadata"]["revision"]})
    c.call("rule-get", [standard["id"]], expect=404)
    c.call("team-delete", [team["id"]], expect=409)
    c.call("distribution-delete", [created["distributionId"]])
    c.call("team-delete", [team["id"]])
    c.call("team-delete", [team["id"]], expect=404)
    c.call("team-add-users", body={"teamId": "no-such-team", "userIds": [user("liam")]}, expect=404)
    c.call("team-add-users", body={"teamId": teams["csm-na"], "userIds": [user("liam")]}, expect=422)
    c.call("team-add-users", body={"teamId": teams["csm-na"], "userIds": []}, expect=400)
    c.call("workspace-add-users", body=b"{not json", expect=400)
    c.call("user-invite", body={"email": "olivia.reyes@acme.example"}, expect=409)
    live = {e: {"distro": False, "chiliCalOrg": True, "concierge": False, "conciergeLive": True, "chat": False, "handoff": False} for e in list(users.values())[:6]}
    c.call("user-update-licenses", body={"update": live}, expect=422)
    c.call("distribution-create", body={k: v for k, v in dict(write, teamId=teams["csm-na"], weights=[], manualCalibration=[]).items() if k != "capping"}, expect=422)
    c.call("distribution-update", ["no-such-distribution"], body=write, expect=404)
    c.call("workspace-list", token="", expect=401)
    c.call("team-create", body={"workspaceId": sales, "name": "x"}, token="scoville-demo-readonly-token", expect=401)
    c.call("workspace-list-users", query={"pageSize": 0}, expect=400)
    c.call("workspace-remove-users-all", body={"userIds": [olivia["id"]]})
    c.call("distribution-settings-get", query={"workspaceId": "no-such-workspace"}, expect=404)
    del distributions, success


def main():
    args = sys.argv[1:]
    binary = None
    if "--binary" in args:
        index = args.index("--binary")
        binary = args[index + 1]
        del args[index : index + 2]
    if len(args) != 1 or not os.path.isdir(args[0]):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    ensure_yaml()
    spec = Spec(args[0])
    if binary is None:
        subprocess.run(["cargo", "build", "--quiet", "--bin", "scoville"], cwd=REPO, check=True)
        binary = os.path.join(REPO, "target", "debug", "scoville")
    emulator = Emulator(binary)
    try:
        checker = Checker(spec, emulator, "scoville-demo-admin-token")
        run_sequence(checker)
    finally:
        emulator.stop()
    missing = sorted(set(checker.ops) - checker.succeeded)
    for op_id in missing:
        checker.fail(f"{op_id}: never answered 200 in the sequence")
    for line in checker.checked:
        print(f"ok {line}")
    published = sum(1 for op_id, (m, p) in checker.ops.items() if spec.operation(m, p))
    print(
        f"\n{len(checker.checked)} responses checked; {len(checker.ops)} operations called "
        f"({published} described by the OpenAPI files, {len(checker.ops) - published} assumed); "
        f"{len(checker.mismatches)} mismatches"
    )
    return 1 if checker.mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
